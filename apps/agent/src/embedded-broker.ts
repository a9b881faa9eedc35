import { createServer, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'

/** An embedded aedes broker on 127.0.0.1 (port 0 = free port). */
export async function startEmbeddedBroker(
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const aedes = await Aedes.createBroker()
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    aedes.handle(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
        aedes.close(() => undefined)
      }),
  }
}
