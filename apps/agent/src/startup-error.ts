/**
 * What stops a start that the operator can fix: a file, a directory or a port named with the
 * variable that points at it and what to do. `main.ts` prints the message as one line and exits 2
 * (the stack only at debug level).
 */
export class StartupError extends Error {
  override readonly name: string = 'StartupError'
}

/** Node's words for the errno codes a start meets on files and directories. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
}

/** `err`'s errno code in words (the code itself when unknown). */
export function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return (code && REASONS[code]) ?? code ?? (err as Error | undefined)?.message ?? String(err)
}

/** Whether `err` is a file-system error with a path (what `reportStartFailure` explains). */
export function isFileError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  const e = err as NodeJS.ErrnoException | undefined
  return typeof e?.code === 'string' && typeof e.path === 'string' && e.code in REASONS
}
