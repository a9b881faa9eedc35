/**
 * An in-process aedes broker served over WebSocket (`ws://`, or `wss://` with a test PKI) on
 * 127.0.0.1, port 0, at the path `/mqtt`. The shared fixtures in `@nara/vitest-config/brokers`
 * speak plain TCP/TLS only; this one exists for `nara doctor` over WebSocket.
 */
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import { Aedes, type AedesOptions } from 'aedes'
import { createWebSocketStream, WebSocketServer } from 'ws'

export interface WsAedes {
  /** `ws://127.0.0.1:PORT` or `wss://localhost:PORT` (no path: the CLI adds `/mqtt`). */
  url: string
  port: number
  close(): Promise<void>
}

export interface WsAedesOptions {
  /** Serve `wss://` with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string }
  /** Passed to aedes (authenticate, authorizeSubscribe, ...). */
  aedes?: AedesOptions
}

export async function startWsAedes(options: WsAedesOptions = {}): Promise<WsAedes> {
  const broker = await Aedes.createBroker(options.aedes ?? {})
  const server: Server = options.tls
    ? createHttpsServer({
        cert: readFileSync(options.tls.certFile),
        key: readFileSync(options.tls.keyFile),
      })
    : createHttpServer()
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const wss = new WebSocketServer({ server, path: '/mqtt' })
  wss.on('connection', (ws, request) => {
    broker.handle(createWebSocketStream(ws), request)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('ws aedes: no address')
  const port = address.port
  return {
    url: options.tls ? `wss://localhost:${port}` : `ws://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => broker.close(() => resolve()))
      await closed
    },
  }
}
