/**
 * Output that survives its reader going away. A closed terminal (EIO after SIGHUP) or a closed
 * pipe (EPIPE) must neither crash the agent nor make it spin, and a reader that stops reading must
 * not freeze the event loop (pino's default synchronous destination sleeps and retries EAGAIN
 * forever, blocking everything, including the stop).
 *
 * - {@link createSafeSink}: a non-blocking log destination on a file descriptor (asynchronous
 *   writes, at most `maxBufferedBytes` waiting; beyond that lines are dropped and counted). The
 *   first write error other than EAGAIN turns it into a sink that discards everything.
 * - {@link guardStdio}: `error` listeners on `process.stdout`/`process.stderr`, so an EPIPE/EIO
 *   there is noted instead of thrown, and a flag callers check before writing.
 */
import { Writable } from 'node:stream'
import { destination } from 'pino'

export interface SafeSink {
  /** The stream to hand to pino or pino-pretty; never emits `error`. */
  stream: Writable
  /** Whether the descriptor failed (then everything is discarded). */
  closed(): boolean
  /** Lines dropped: buffer full, or written after the descriptor failed. */
  dropped(): number
  /** Writes what is buffered before exit; bounded (gives up after ~1 s of EAGAIN), never throws. */
  flushSync(): void
}

export interface SafeSinkOptions {
  /** File descriptor (1 = stdout, 2 = stderr). */
  fd: number
  /** Most bytes waiting for a slow reader (default 4 MiB). */
  maxBufferedBytes?: number
  /** Told once, when the descriptor fails. */
  onClosed?: (err: NodeJS.ErrnoException) => void
}

export function createSafeSink(options: SafeSinkOptions): SafeSink {
  let dead = false
  let exiting = false
  let exitRetries = 0
  let dropped = 0
  const sonic = destination({
    dest: options.fd,
    sync: false,
    minLength: 0,
    maxLength: options.maxBufferedBytes ?? 4 * 2 ** 20,
    // While running, EAGAIN is retried on a timer (the event loop keeps going); at exit, flushSync
    // retries with a blocking sleep, so only ~10 times.
    retryEAGAIN: () => !exiting || ++exitRetries < 10,
  })
  const fail = (err: NodeJS.ErrnoException) => {
    if (dead) return
    dead = true
    // Like pino's own EPIPE handling: the destination is gone for good.
    const noop = () => true
    Object.assign(sonic, { write: noop, flush: noop, flushSync: noop, end: noop })
    options.onClosed?.(err)
  }
  // EPIPE, EIO, ... (and EAGAIN only at exit, once the retries are spent): give up for good.
  sonic.on('error', fail)
  sonic.on('drop', () => {
    dropped += 1
  })
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (dead) dropped += 1
      else {
        try {
          sonic.write(typeof chunk === 'string' ? chunk : chunk.toString())
        } catch (err) {
          fail(err as NodeJS.ErrnoException)
        }
      }
      callback()
    },
  })
  return {
    stream,
    closed: () => dead,
    dropped: () => dropped,
    flushSync() {
      exiting = true
      if (dead) return
      try {
        sonic.flushSync()
      } catch (err) {
        fail(err as NodeJS.ErrnoException)
      }
    },
  }
}

export interface StdioGuard {
  /** Whether stdout failed (EPIPE/EIO): stop drawing the town table. */
  stdoutClosed(): boolean
  /** Writes to stderr unless it failed; never throws. */
  stderr(text: string): void
}

/** Listens for write errors on stdout and stderr, so they are noted instead of crashing. */
export function guardStdio(
  proc: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): StdioGuard {
  let outClosed = false
  let errClosed = false
  proc.stdout.on('error', () => {
    outClosed = true
  })
  proc.stderr.on('error', () => {
    errClosed = true
  })
  return {
    stdoutClosed: () => outClosed || proc.stdout.destroyed,
    stderr(text) {
      if (errClosed || proc.stderr.destroyed) return
      try {
        proc.stderr.write(text)
      } catch {
        errClosed = true
      }
    },
  }
}
