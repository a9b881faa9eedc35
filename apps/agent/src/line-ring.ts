/** A stream that keeps the last lines written to it (the town's log lines under its table). */
import { Writable } from 'node:stream'

/** Keeps the last `max` non-empty lines written to `stream`; `lines()` is a copy. */
export function lineRing(max: number): { stream: Writable; lines: () => string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue
        lines.push(line)
        if (lines.length > max) lines.shift()
      }
      callback()
    },
  })
  return { stream, lines: () => lines.slice() }
}
