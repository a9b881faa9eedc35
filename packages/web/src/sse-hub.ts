/**
 * Server-Sent Events to every open page. Each update is serialized once. A client whose socket
 * is backed up (more than `maxBufferedBytes` not yet written) misses updates instead of growing
 * the server's memory; once its socket drains it is told how many it missed (`skipped`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Update } from './view-types.js'

export interface SseHubOptions {
  /** Bytes a client may have pending before updates to it are skipped (default 1 MiB). */
  maxBufferedBytes?: number
  /** Keep-alive comment period, ms (default 15 000). */
  keepaliveMs?: number
  /** Reconnect delay the browser is told to use, ms (default 1000). */
  retryMs?: number
}

export interface SseHub {
  /** Opens the stream for this request; `first` is written at once (the snapshot). */
  add(req: IncomingMessage, res: ServerResponse, first: Update): void
  broadcast(update: Update): void
  clients(): number
  close(): void
}

interface Client {
  res: ServerResponse
  skipped: number
}

export const sseFrame = (u: Update): string =>
  `event: ${u.type}\ndata: ${JSON.stringify(u.data)}\n\n`

export function createSseHub(options: SseHubOptions = {}): SseHub {
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20
  const clients = new Set<Client>()
  let keepalive: NodeJS.Timeout | undefined

  const send = (c: Client, frame: string) => {
    if (c.res.writableLength > maxBuffered) {
      c.skipped += 1
      return
    }
    c.res.write(frame)
  }

  return {
    add(req, res, first) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(`retry: ${options.retryMs ?? 1000}\n\n`)
      const c: Client = { res, skipped: 0 }
      clients.add(c)
      res.on('drain', () => {
        if (c.skipped === 0) return
        const count = c.skipped
        c.skipped = 0
        res.write(sseFrame({ type: 'skipped', data: { count } }))
      })
      const drop = () => clients.delete(c)
      req.once('close', drop)
      res.once('close', drop)
      send(c, sseFrame(first))
      keepalive ??= setInterval(() => {
        for (const cl of clients) cl.res.write(': keep-alive\n\n')
      }, options.keepaliveMs ?? 15_000)
      keepalive.unref()
    },
    broadcast(update) {
      if (clients.size === 0) return
      const frame = sseFrame(update)
      for (const c of clients) send(c, frame)
    },
    clients: () => clients.size,
    close() {
      if (keepalive) clearInterval(keepalive)
      keepalive = undefined
      for (const c of clients) c.res.end()
      clients.clear()
    },
  }
}
