/**
 * Files that must not outlive the process (the data-directory lock, temp files of a write in
 * flight): removed synchronously on `exit`, whichever way the process ends through it (a stop, a
 * failed start, an uncaught error). A kill -9 leaves them; the next start removes them
 * (`data-dir-lock.ts`).
 */
import { unlinkSync } from 'node:fs'

const paths = new Set<string>()
let installed = false

function removeAll(): void {
  for (const path of paths) {
    try {
      unlinkSync(path)
    } catch {
      // already gone
    }
  }
  paths.clear()
}

/** Removes `path` when the process exits; the returned function forgets it (the file was kept). */
export function removeOnExit(path: string): () => void {
  if (!installed) {
    installed = true
    process.once('exit', removeAll)
  }
  paths.add(path)
  return () => void paths.delete(path)
}
