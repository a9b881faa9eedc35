import { createServer } from 'node:net'

/**
 * Ports are drawn below Linux's ephemeral range (32768-60999 by default). A port the kernel hands
 * out for `listen(0)` comes from that range, and so does the local port of every OUTGOING
 * connection: a port reserved for a broker that starts later (a NATS node whose peers already dial
 * their routes) could be taken by such a connection in between, and the broker then fails with
 * EADDRINUSE. Below the range only another listener can take it.
 */
const LOW = 20_000
const HIGH = 32_000
/** Ports this process handed out already: two calls before either binds never get one port. */
const handedOut = new Set<number>()

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(undefined))
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const bound = address !== null && typeof address !== 'string' ? address.port : undefined
      server.close(() => resolve(bound))
    })
  })
}

/** A free TCP port on 127.0.0.1, below the ephemeral range when one is free there. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (handedOut.has(port)) continue
    if ((await tryListen(port)) === port) {
      handedOut.add(port)
      return port
    }
  }
  const port = await tryListen(0)
  if (port === undefined) throw new Error('freePort: no free TCP port on 127.0.0.1')
  handedOut.add(port)
  return port
}
