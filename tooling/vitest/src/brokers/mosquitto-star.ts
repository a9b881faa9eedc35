import { setTimeout as delay } from 'node:timers/promises'
import { type MosquittoBroker, startMosquitto } from './mosquitto.js'
import { startTcpLink, type TcpLink } from './tcp-link.js'

export interface MosquittoStarOptions {
  /** Leaves bridged to the hub. Default 2 (a star of three brokers). */
  leaves?: number
  /**
   * `try_private` per leaf bridge (default true for every leaf). `false` makes the hub treat
   * the bridge as an ordinary client, so it sends that leaf's own messages back over the
   * bridge: every message published on that leaf then arrives there twice.
   */
  tryPrivate?: readonly boolean[]
  /** Seconds between a leaf's bridge reconnect attempts (mosquitto `restart_timeout`). Default 1. */
  bridgeRestartS?: number
}

/** One leaf-to-hub bridge; its TCP link can be cut and restored while both brokers run. */
export interface StarBridge {
  readonly leaf: MosquittoBroker
  /** Cuts the bridge connection (both brokers keep running) and refuses it until `start()`. */
  stop(): Promise<void>
  /** Lets the leaf's bridge connect again (it retries every `bridgeRestartS`). */
  start(): Promise<void>
  /** True while the hub's log shows the bridge connected (and not dropped since). */
  connected(): boolean
}

/** A star of mosquitto brokers (see {@link startMosquittoStar}). */
export interface MosquittoStar {
  readonly hub: MosquittoBroker
  readonly leaves: readonly MosquittoBroker[]
  /** Hub first, then the leaves. */
  readonly brokers: readonly MosquittoBroker[]
  readonly bridges: readonly StarBridge[]
  /** Resolves once every bridge whose link is up is connected to the hub. */
  waitBridged(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** Reads the hub's log: the last line about bridge client `name` is a connect. */
function bridgeConnected(hubLog: string, name: string): boolean {
  const connectedAt = hubLog.lastIndexOf(`as ${name} (`)
  const droppedAt = Math.max(
    hubLog.lastIndexOf(`Client ${name} `),
    hubLog.lastIndexOf(`client ${name},`),
  )
  return connectedAt > droppedAt
}

function bridgeConfig(name: string, linkPort: number, tryPrivate: boolean, restartS: number) {
  return [
    `connection ${name}`,
    `address 127.0.0.1:${linkPort}`,
    'topic nara/# both 0',
    `try_private ${tryPrivate}`,
    // Loop avoidance: no retained state notifications on nara/#, no session kept on the hub.
    'notifications false',
    'cleansession true',
    `remote_clientid ${name}`,
    `local_clientid ${name}.local`,
    `restart_timeout ${restartS}`,
    'keepalive_interval 5',
  ]
}

/**
 * Starts real mosquitto brokers on loopback: a hub and `leaves` leaves, each leaf bridged to
 * the hub with `topic nara/# both 0`, `try_private true`, `cleansession true` and no
 * notifications. A star has no cycle, and `try_private` lets the hub recognise a bridge and
 * never echo a message back over the bridge it came in on, so every message reaches every
 * broker once. Each bridge goes through a {@link TcpLink} so a test can cut it.
 */
export async function startMosquittoStar(
  options: MosquittoStarOptions = {},
): Promise<MosquittoStar> {
  const count = options.leaves ?? 2
  const restartS = options.bridgeRestartS ?? 1
  const hub = await startMosquitto()
  const links: TcpLink[] = []
  const leaves: MosquittoBroker[] = []
  const close = async () => {
    await Promise.all(leaves.map((l) => l.close()))
    await Promise.all(links.map((l) => l.close()))
    await hub.close()
  }
  try {
    for (let i = 0; i < count; i++) {
      const link = await startTcpLink(hub.port)
      links.push(link)
      const tryPrivate = options.tryPrivate?.[i] ?? true
      const extraConfig = bridgeConfig(`leaf${i + 1}-hub`, link.port, tryPrivate, restartS)
      leaves.push(await startMosquitto({ extraConfig }))
    }
  } catch (err) {
    await close()
    throw err
  }
  const bridges = leaves.map((leaf, i) => {
    const link = links[i] as TcpLink
    const connected = () => link.isUp() && bridgeConnected(hub.log(), `leaf${i + 1}-hub`)
    return { leaf, stop: link.down, start: link.up, connected }
  })
  const waitBridged = async (timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    const pending = () => bridges.filter((b, i) => links[i]?.isUp() && !b.connected())
    while (pending().length > 0) {
      if (Date.now() > deadline) {
        throw new Error(`mosquitto bridges not connected within ${timeoutMs} ms\n${hub.log()}`)
      }
      await delay(50)
    }
  }
  try {
    await waitBridged()
  } catch (err) {
    await close()
    throw err
  }
  return { hub, leaves, brokers: [hub, ...leaves], bridges, waitBridged, close }
}
