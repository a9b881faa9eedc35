import { createServer, connect as netConnect, type Server, type Socket } from 'node:net'
import { freePort } from './free-port.js'

/** A TCP forwarder on 127.0.0.1 that a test can cut and restore (see {@link startTcpLink}). */
export interface TcpLink {
  /** The port clients connect to. */
  readonly port: number
  /** Destroys every forwarded connection and refuses new ones until `up()`. */
  down(): Promise<void>
  /** Accepts and forwards connections again, on the same port. */
  up(): Promise<void>
  isUp(): boolean
  close(): Promise<void>
}

/**
 * Forwards every connection on a free loopback port to `127.0.0.1:targetPort`. `down()` is a
 * link failure both ends see at once (sockets destroyed, port closed); the target keeps running.
 */
export async function startTcpLink(targetPort: number): Promise<TcpLink> {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let server: Server | undefined

  const track = (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  }
  const up = async (): Promise<void> => {
    if (server !== undefined) return
    const srv = createServer((inbound) => {
      const outbound = netConnect({ host: '127.0.0.1', port: targetPort })
      track(inbound)
      track(outbound)
      inbound.on('error', () => outbound.destroy())
      outbound.on('error', () => inbound.destroy())
      inbound.pipe(outbound)
      outbound.pipe(inbound)
      inbound.once('close', () => outbound.destroy())
      outbound.once('close', () => inbound.destroy())
    })
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject)
      srv.listen(port, '127.0.0.1', () => {
        srv.off('error', reject)
        resolve()
      })
    })
    server = srv
  }
  const down = async (): Promise<void> => {
    const srv = server
    server = undefined
    if (srv === undefined) return
    const closed = new Promise<void>((resolve) => srv.close(() => resolve()))
    for (const s of sockets) s.destroy()
    await closed
  }
  await up()
  return { port, up, down, isUp: () => server !== undefined, close: down }
}
