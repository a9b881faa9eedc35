import { readFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { Aedes, type AedesOptions as AedesBrokerOptions } from 'aedes'
import type { BrokerOptions, BrokerTlsOptions, TestBroker } from './types.js'

export interface AedesOptions extends BrokerOptions {
  /**
   * Decides each subscription (consulted on every SUBSCRIBE, so a test can change its mind):
   * `false` refuses the topic filter with SUBACK return code 0x80. Default: every topic allowed.
   */
  authorizeSubscribe?: (topic: string, clientId: string) => boolean
}

/** Listens on 127.0.0.1:`port` (0: a free one); resolves with the port. */
async function listenOn(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('aedes: no TCP address')
  return address.port
}

/** A TLS server over the PEM files of `tls` that hands each socket to `handle`. */
async function tlsServer(tls: BrokerTlsOptions, handle: (socket: Socket) => void): Promise<Server> {
  const [ca, cert, key] = await Promise.all(
    [tls.caFile, tls.certFile, tls.keyFile].map((f) => readFile(f, 'utf8')),
  )
  const requestCert = tls.requireClientCertificate === true
  return createTlsServer({ ca, cert, key, requestCert, rejectUnauthorized: requestCert }, handle)
}

/** The aedes hooks `options` asks for: a subscription check, and credentials to require. */
function brokerHooks(
  options: AedesOptions,
): Pick<AedesBrokerOptions, 'authenticate' | 'authorizeSubscribe'> {
  const { authorizeSubscribe, username } = options
  return {
    ...(authorizeSubscribe === undefined
      ? {}
      : {
          authorizeSubscribe: (client, sub, done) => {
            // A null subscription is refused with SUBACK 0x80 (MQTT 3.1.1 §3.9.3).
            done(null, authorizeSubscribe(sub.topic, client?.id ?? '') ? sub : null)
          },
        }),
    ...(username === undefined
      ? {}
      : {
          authenticate: (_client, user, password, done) => {
            const ok =
              user === username &&
              password !== undefined &&
              password !== null &&
              Buffer.from(password).toString('utf8') === (options.password ?? '')
            if (ok) {
              done(null, true)
            } else {
              // CONNACK return code 4: bad username or password.
              const err = Object.assign(new Error('bad username or password'), { returnCode: 4 })
              done(err as unknown as Error & { returnCode: 4 }, false)
            }
          },
        }),
  }
}

/** One running broker: aedes, its listeners and the sockets it serves. */
interface RunningAedes {
  broker: Aedes
  servers: Server[]
  sockets: Set<Socket>
}

/** Closes the listeners, drops every socket and closes the broker. */
async function closeRunning(running: RunningAedes): Promise<void> {
  const serversClosed = Promise.all(
    running.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  )
  for (const socket of running.sockets) socket.destroy()
  await new Promise<void>((resolve) => running.broker.close(() => resolve()))
  await serversClosed
}

/**
 * Starts an in-process aedes broker on 127.0.0.1 (port 0 unless `options.port`), with a TLS
 * listener next to it when `options.tls` is given. With a
 * username/password, every other CONNECT is refused with "bad username or password".
 * `stop()` closes the broker and drops every socket; `restart()` starts a fresh broker on the
 * same port.
 */
export async function startAedes(options: AedesOptions = {}): Promise<TestBroker> {
  let current: RunningAedes | undefined
  let port = options.port ?? 0
  let tlsPort = options.tls?.port ?? 0
  let closed = false

  const listen = async (): Promise<void> => {
    const broker = await Aedes.createBroker(brokerHooks(options))
    const sockets = new Set<Socket>()
    const handle = (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      broker.handle(socket)
    }
    const server = createServer(handle)
    port = await listenOn(server, port)
    const servers = [server]
    if (options.tls !== undefined) {
      const secure = await tlsServer(options.tls, handle)
      tlsPort = await listenOn(secure, tlsPort)
      servers.push(secure)
    }
    current = { broker, servers, sockets }
  }

  const stop = async (): Promise<void> => {
    const running = current
    current = undefined
    if (running !== undefined) await closeRunning(running)
  }

  await listen()
  const fixedPort = port
  return {
    name: 'aedes',
    host: '127.0.0.1',
    port: fixedPort,
    url: `mqtt://127.0.0.1:${fixedPort}`,
    ...(options.tls === undefined ? {} : { tlsPort, tlsUrl: `mqtts://localhost:${tlsPort}` }),
    stop,
    kill: stop,
    restart: async () => {
      if (closed) throw new Error('aedes: restart after close')
      await stop()
      await listen()
    },
    close: async () => {
      closed = true
      await stop()
    },
  }
}
