/**
 * One MQTT connection for many plazas of one process (a town). Each plaza keeps everything that
 * makes it a nara (identity, keyring, inbound pipeline, replay memories, join jitter, reconnect
 * loop, counters); only the socket is shared. The broker then sends each message once per
 * process instead of once per nara, and the process parses it once: a town of N naras costs the
 * broker and the process O(messages), not O(messages × N).
 *
 * A plaza given `sharedConnection` gets a *member* instead of its own MQTT.js client. A member
 * behaves like a connection of its own: it subscribes to the plaza's topics and receives only
 * messages that match them, publishes through the shared socket, and closes when the shared
 * connection drops, so every plaza notices, runs its own randomized reconnect loop and says its
 * own jittered hey_there after it re-attached. Connect attempts are single-flight (plazas that
 * ask at once share one attempt), and after a failed attempt the next real one waits at least
 * `minAttemptGapMs` (plazas asking sooner get the same failure), so a town whose broker is down
 * does not multiply connect attempts by its size.
 *
 * Delivery is synchronous, in attach order, with the same payload `Buffer` for every member: the
 * plaza pipelines never mutate it, and the shared decode memo recognises it (see
 * `createDecodeCache`). When the last member leaves, the socket is closed; the next attach
 * connects again.
 *
 * @example
 * ```ts
 * const sharedConnection = createSharedConnection({ brokerUrl: 'mqtt://127.0.0.1:1883' })
 * const decodeCache = createDecodeCache()
 * const signatureCache = createSignatureCache()
 * const naras = souls.map((soul, i) =>
 *   createPlaza({ identity: { name: `nara-${i}`, soul }, sharedConnection, decodeCache, signatureCache }),
 * )
 * await Promise.all(naras.map((p) => p.start()))
 * ```
 */
import { EventEmitter } from 'node:events'
import type { MqttClient } from 'mqtt'
import { type BrokerAddress, parseBrokerUrl } from './broker-url.js'
import { makeClientId } from './client-id.js'
import { BrokerUnreachableError } from './errors.js'
import { type ConnectParams, connectOnce, type TlsOptions } from './mqtt-connection.js'

/** What a plaza needs from its MQTT connection: MQTT.js clients and shared members both are one. */
export interface PlazaClient {
  readonly connected: boolean
  on(event: 'message', listener: (topic: string, payload: Buffer) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'close', listener: () => void): unknown
  removeAllListeners(event?: string): unknown
  subscribeAsync(topics: string[], options: { qos: 0 }): Promise<unknown>
  publishAsync(
    topic: string,
    payload: Buffer | string,
    options: { qos: 0 | 1; retain: boolean },
  ): Promise<unknown>
  end(force?: boolean, options?: object, callback?: () => void): unknown
}

/** Opens one connection for a plaza (its own, or a member of a shared one). */
export type PlazaConnector = (
  params: Pick<ConnectParams, 'signal' | 'connectTimeoutMs'>,
) => Promise<PlazaClient>

/** Options of {@link createSharedConnection}. */
export interface SharedConnectionOptions {
  /** `mqtt://`, `mqtts://`/`tls://`, `ws://`, `wss://`, or `host:port` (tcp). */
  brokerUrl: string
  username?: string
  password?: string
  tls?: TlsOptions
  /** Default `nara-ts-<pid>-<random>`, as a plaza's own. */
  clientId?: string
  /** MQTT keep-alive, seconds. Default 30. */
  keepaliveSeconds?: number
  /** Least time between the end of a failed connect attempt and the next real one, ms. Default 5000. */
  minAttemptGapMs?: number
  /** Injected time source (ms), for tests. */
  now?: () => number
}

/** Figures of a {@link SharedConnection}. */
export interface SharedConnectionStats {
  readonly connected: boolean
  /** Attached members (plazas). */
  readonly members: number
  /** Real connect attempts / successes since creation. */
  readonly attempts: number
  readonly connects: number
  /** Messages received on the socket, and handed to members (one per member that matched). */
  readonly received: number
  readonly deliveries: number
  /** Distinct topic filters subscribed on the current socket. */
  readonly subscriptions: number
}

export interface SharedConnection {
  readonly brokerUrl: string
  readonly clientId: string
  /** True while the socket is connected. */
  readonly connected: boolean
  /** Attaches one member: what a plaza's connect attempt calls (see `PlazaOptions.sharedConnection`). */
  readonly connect: PlazaConnector
  stats(): SharedConnectionStats
  /** Closes every member and the socket. Later attaches connect again. */
  close(): Promise<void>
}

/** MQTT topic-filter matching (`+` one level, `#` the rest, `$`-topics not matched by wildcards). */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const part = f[i]
    if (part === '#') return true
    if (i >= t.length) return false
    if (part !== '+' && part !== t[i]) return false
  }
  return f.length === t.length
}

/** SUBACK failure as MQTT.js reports it (`err.packet.granted`), for the plaza's retry logic. */
class SubscribeRefusedError extends Error {
  readonly packet: { granted: number[] }
  constructor(message: string, granted: number[]) {
    super(message)
    this.name = 'SubscribeRefusedError'
    this.packet = { granted }
  }
}

const ROUTE_CACHE_MAX = 4096

export function createSharedConnection(options: SharedConnectionOptions): SharedConnection {
  const address: BrokerAddress = parseBrokerUrl(options.brokerUrl)
  const clientId = options.clientId ?? makeClientId()
  const minGapMs = options.minAttemptGapMs ?? 5000
  const now = options.now ?? Date.now
  let real: MqttClient | undefined
  let inFlight: Promise<MqttClient> | undefined
  let lastFailure: { atMs: number; error: unknown } | undefined
  /** Topic filter -> SUBACK code on the current socket (0x80 = refused), once answered. */
  let subscribed = new Map<string, Promise<number>>()
  const members = new Set<Member>()
  /** Topic -> members whose filters match it (cleared when any member's filters change). */
  const routes = new Map<string, Member[]>()
  const figures = { attempts: 0, connects: 0, received: 0, deliveries: 0 }

  class Member extends EventEmitter implements PlazaClient {
    filters: string[] = []
    open = true
    get connected(): boolean {
      return this.open && real?.connected === true
    }
    async subscribeAsync(topics: string[]): Promise<unknown> {
      const client = real
      if (!this.open || client === undefined) throw new Error('shared connection is closed')
      const missing = topics.filter((t) => !subscribed.has(t))
      if (missing.length > 0) {
        const answer = client.subscribeAsync(missing, { qos: 0 }).then(
          (grants) => grants.map((g) => g.qos),
          (err: { packet?: { granted?: unknown } }) => {
            const granted = err?.packet?.granted
            return missing.map((_, i) =>
              Array.isArray(granted) ? ((granted[i] as number | undefined) ?? 0x80) : 0x80,
            )
          },
        )
        missing.forEach((topic, i) => {
          subscribed.set(
            topic,
            answer.then((codes) => codes[i] ?? 0x80),
          )
        })
      }
      const codes = await Promise.all(topics.map((t) => subscribed.get(t) as Promise<number>))
      if (client !== real || !this.open)
        throw new Error('shared connection closed while subscribing')
      const refused = topics.filter((_, i) => ((codes[i] ?? 0x80) & 0x80) !== 0)
      for (const topic of refused) subscribed.delete(topic)
      const granted = topics.filter((_, i) => ((codes[i] ?? 0x80) & 0x80) === 0)
      this.filters = [...new Set([...this.filters, ...granted])]
      routes.clear()
      if (refused.length > 0) {
        throw new SubscribeRefusedError(`SUBACK refused ${refused.join(', ')}`, codes)
      }
      return codes
    }
    publishAsync(
      topic: string,
      payload: Buffer | string,
      publishOptions: { qos: 0 | 1; retain: boolean },
    ): Promise<unknown> {
      const client = real
      if (!this.open || client === undefined || !client.connected) {
        return Promise.reject(new Error('shared connection is not connected'))
      }
      return client.publishAsync(topic, payload, publishOptions)
    }
    end(_force?: boolean, _options?: object, callback?: () => void): this {
      this.detach()
      if (callback !== undefined) queueMicrotask(callback)
      return this
    }
    /** Leaves the shared connection: no more messages; 'close' once. */
    detach(): void {
      if (!this.open) return
      this.open = false
      members.delete(this)
      routes.clear()
      this.emit('close')
      if (members.size === 0) dropSocket()
    }
  }

  const dropSocket = (): void => {
    const client = real
    real = undefined
    subscribed = new Map()
    routes.clear()
    if (client === undefined) return
    client.removeAllListeners('message')
    client.removeAllListeners('close')
    client.on('error', () => {})
    client.end(false)
  }

  const route = (topic: string): Member[] => {
    let list = routes.get(topic)
    if (list === undefined) {
      list = [...members].filter((m) => m.filters.some((f) => topicMatches(f, topic)))
      if (routes.size >= ROUTE_CACHE_MAX) routes.clear()
      routes.set(topic, list)
    }
    return list
  }

  const adopt = (client: MqttClient): void => {
    real = client
    subscribed = new Map()
    routes.clear()
    client.on('message', (topic: string, payload: Buffer) => {
      figures.received += 1
      for (const member of route(topic)) {
        if (!member.open) continue
        figures.deliveries += 1
        member.emit('message', topic, payload)
      }
    })
    client.on('error', (error: Error) => {
      for (const member of [...members]) member.emit('error', error)
    })
    client.on('close', () => {
      if (real !== client) return
      real = undefined
      subscribed = new Map()
      routes.clear()
      client.removeAllListeners('message')
      client.on('error', () => {})
      client.end(true)
      for (const member of [...members]) member.detach()
    })
  }

  const socket = (params: Pick<ConnectParams, 'signal' | 'connectTimeoutMs'>) => {
    if (real?.connected === true) return Promise.resolve(real)
    if (inFlight !== undefined) return inFlight
    if (lastFailure !== undefined && now() - lastFailure.atMs < minGapMs) {
      return Promise.reject(lastFailure.error)
    }
    figures.attempts += 1
    // The attempt outlives the plaza that started it: others may be waiting on it.
    const attempt = connectOnce({
      address,
      clientId,
      username: options.username ?? address.username,
      password: options.password ?? address.password,
      tls: options.tls,
      keepaliveSeconds: options.keepaliveSeconds ?? 30,
      connectTimeoutMs: params.connectTimeoutMs,
      signal: new AbortController().signal,
    })
    inFlight = attempt
    attempt.then(
      (client) => {
        inFlight = undefined
        lastFailure = undefined
        figures.connects += 1
        adopt(client)
      },
      (error: unknown) => {
        inFlight = undefined
        lastFailure = { atMs: now(), error }
      },
    )
    return attempt
  }

  const connect: PlazaConnector = async (params) => {
    if (params.signal.aborted) throw params.signal.reason
    const client = await new Promise<MqttClient>((resolve, reject) => {
      const onAbort = (): void => reject(params.signal.reason ?? new Error('aborted'))
      params.signal.addEventListener('abort', onAbort, { once: true })
      socket(params).then(
        (c) => {
          params.signal.removeEventListener('abort', onAbort)
          resolve(c)
        },
        (e: unknown) => {
          params.signal.removeEventListener('abort', onAbort)
          reject(e)
        },
      )
    })
    if (client !== real || !client.connected) {
      throw new BrokerUnreachableError(
        `shared connection to ${address.url} closed while attaching`,
        {
          brokerUrl: address.url,
        },
      )
    }
    const member = new Member()
    members.add(member)
    return member
  }

  return {
    brokerUrl: address.url,
    clientId,
    get connected() {
      return real?.connected === true
    },
    connect,
    stats: () => ({
      connected: real?.connected === true,
      members: members.size,
      ...figures,
      subscriptions: subscribed.size,
    }),
    async close() {
      for (const member of [...members]) member.detach()
      await inFlight?.catch(() => undefined)
      dropSocket()
    },
  }
}
