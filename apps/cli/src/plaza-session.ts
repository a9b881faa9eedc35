/**
 * Opening the plaza for a command: builds @nara/plaza options from the settings, connects, waits
 * until every plaza topic is subscribed, and turns the first connect failure into a BrokerError
 * with a fix (the plaza itself would keep retrying, which is right for the agent, not for a CLI).
 *
 * Listening commands (`watch`, `who`) need no soul: they use a throwaway identity and never
 * publish. Signing commands pass the configured identity.
 */
import { encodeSoul, generateSoul } from '@nara/crypto'
import {
  createKeyring,
  createPlaza,
  type Keyring,
  type Plaza,
  type PlazaError,
  type PlazaOptions,
} from '@nara/plaza'
import { type AgentKeyring, findAgentKeyrings } from './agent-keyrings.js'
import type { Settings } from './config.js'
import { BrokerError, InputError } from './errors.js'
import type { Identity } from './identity.js'
import { loadKeyringFile } from './keyring-file.js'
import { readTlsFiles } from './tls-files.js'

/** Reconnect wait bounds of the CLI's long-running commands, in ms (uniform in [min, max)). */
export const CLI_RECONNECT_MIN_MS = 1000
export const CLI_RECONNECT_MAX_MS = 5000

export interface OpenPlazaOptions {
  /** Who we are when we publish; omitted for listen-only commands. */
  identity?: Identity
  /** Pins to start from (name/NaraID -> base64 key). */
  pins?: Record<string, string>
  /** Bound for the first connect + subscribe, in ms. */
  connectTimeoutMs: number
  /** Aborts the wait (SIGINT). */
  signal: AbortSignal
  /**
   * Called on later connection changes of long-running commands: an unexpected disconnect
   * (`warning`) and the reconnect that follows (`info`). Never for `close()` itself.
   */
  onConnectionNote?: (note: ConnectionNote) => void
}

/** A connection change worth telling the user about. */
export interface ConnectionNote {
  level: 'warning' | 'info'
  text: string
}

export interface OpenedPlaza {
  plaza: Plaza
  keyring: Keyring
  close(options?: { chau?: boolean }): Promise<void>
}

/**
 * Reads pins: an explicit `--keyring` file (must exist), else the agent's in the data directory:
 * a single nara's `keyring.json` and a town's `town/keyring.json`, those present (the single
 * nara's pin wins where both name a label). Returns the pins and where they came from.
 */
export async function loadPins(
  settings: Settings,
  keyringFile: string | undefined,
): Promise<{ pins: Record<string, string>; source: string | undefined }> {
  if (keyringFile !== undefined) {
    const keyring = await loadKeyringFile(keyringFile)
    return { pins: Object.fromEntries(keyring.entries()), source: keyringFile }
  }
  let found: AgentKeyring[]
  try {
    found = await findAgentKeyrings(settings.dataDir)
  } catch (error) {
    if (error instanceof InputError && error.message.startsWith('no keyring at')) {
      return { pins: {}, source: undefined }
    }
    throw error
  }
  const pins: Record<string, string> = {}
  for (const { keyring } of [...found].reverse())
    Object.assign(pins, Object.fromEntries(keyring.entries()))
  return { pins, source: found.map((k) => k.file).join(' and ') }
}

export async function openPlaza(
  settings: Settings,
  options: OpenPlazaOptions,
): Promise<OpenedPlaza> {
  const keyring = createKeyring({ json: options.pins ?? {} })
  const plaza = createPlaza(await plazaOptions(settings, keyring, options))
  const ready = waitSubscribed(
    plaza,
    settings.brokers.map((b) => b.url),
    options,
  )
  // Errors may arrive while start() is still running; the rejection is handled below.
  ready.catch(() => {})
  await plaza.start()
  try {
    await ready
  } catch (error) {
    await plaza.stop()
    throw error
  }
  const offNotes = options.onConnectionNote
    ? noteConnectionChanges(plaza, options.onConnectionNote)
    : () => {}
  return {
    plaza,
    keyring,
    close: (closeOptions) => {
      // Our own disconnect is no news: stop listening for connection changes first.
      offNotes()
      return plaza.stop(closeOptions)
    },
  }
}

/** The plaza options of a command: the broker settings, who we are, never a join hey_there. */
async function plazaOptions(
  settings: Settings,
  keyring: Keyring,
  options: OpenPlazaOptions,
): Promise<PlazaOptions> {
  const { broker, brokers } = settings
  const files = await readTlsFiles(broker)
  return {
    // A list (a cluster): the plaza shuffles it and walks to the next broker when one fails.
    brokerUrl: brokers.length === 1 ? broker.url : brokers.map((b) => b.url),
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...(brokers.some((b) => b.tls)
      ? {
          tls: {
            ...files,
            ...(broker.tlsInsecure ? { insecureSkipVerify: true } : {}),
          },
        }
      : {}),
    identity: options.identity ? soulIdentity(options.identity) : listenerIdentity(),
    keyring,
    heyThereOnConnect: false,
    connectTimeoutMs: options.connectTimeoutMs,
    // One watcher, not a town of naras: no herd to spread, and a person is waiting.
    reconnectMinMs: CLI_RECONNECT_MIN_MS,
    reconnectMaxMs: CLI_RECONNECT_MAX_MS,
  }
}

function soulIdentity(identity: Identity): PlazaOptions['identity'] {
  return { name: identity.name, soul: encodeSoul(identity.soul) }
}

/** A listener never publishes: any valid identity will do, and none is stored. */
function listenerIdentity(): PlazaOptions['identity'] {
  const throwaway = generateSoul()
  return { name: `listener-${throwaway.name}`, soul: encodeSoul(throwaway.soul) }
}

/**
 * Resolves once every plaza topic is subscribed; rejects with a {@link BrokerError} after
 * `connectTimeoutMs`, when `signal` aborts, or on a connect failure once every broker of the list
 * failed (the plaza walks to the next one on its own).
 */
function waitSubscribed(
  plaza: Plaza,
  urls: readonly string[],
  options: OpenPlazaOptions,
): Promise<void> {
  const failed = new Set<string>()
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        done(
          new BrokerError(
            `no connection to ${urls.join(', ')} within ${options.connectTimeoutMs} ms`,
          ),
        ),
      options.connectTimeoutMs,
    )
    const done = (error?: Error) => {
      clearTimeout(timer)
      offSubscribed()
      offError()
      options.signal.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
    const onAbort = () =>
      done(new BrokerError('interrupted while connecting', 'run the command again'))
    const offSubscribed = plaza.on('subscribed', () => done())
    const offError = plaza.on('error', (error) => {
      const url = urls.length === 1 ? urls[0]! : (error.brokerUrl ?? urls[0]!)
      failed.add(url)
      if (failed.size >= urls.length) done(brokerErrorFrom(error, url))
    })
    options.signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Later disconnects and reconnects, for long-running commands; returns the unsubscriber. */
function noteConnectionChanges(plaza: Plaza, note: (n: ConnectionNote) => void): () => void {
  let current = plaza.brokerUrl
  const offDisconnected = plaza.on('disconnected', ({ error }) => {
    note({
      level: 'warning',
      text: `disconnected from ${current}${error ? `: ${error.message}` : ''}; reconnecting`,
    })
  })
  const offConnected = plaza.on('connected', ({ reconnect, brokerUrl }) => {
    current = brokerUrl
    if (reconnect) note({ level: 'info', text: `reconnected to ${brokerUrl}` })
  })
  return () => {
    offDisconnected()
    offConnected()
  }
}

function brokerErrorFrom(error: PlazaError, url: string): BrokerError {
  switch (error.code) {
    case 'auth-refused':
      return new BrokerError(
        `${url} refused our credentials: ${error.message}`,
        'check MQTT_USER and MQTT_PASS (or run `nara doctor`)',
        error,
      )
    case 'tls':
      return new BrokerError(
        `TLS with ${url} failed: ${error.message}`,
        'set NARA_TLS_CA to the CA of the broker certificate (or run `nara doctor`)',
        error,
      )
    case 'unreachable':
      return new BrokerError(
        `cannot reach ${url}: ${error.message}`,
        'check MQTT_HOST / MQTT_PORT and that the broker runs (or run `nara doctor`)',
        error,
      )
    default:
      return new BrokerError(`cannot connect to ${url}: ${error.message}`, undefined, error)
  }
}
