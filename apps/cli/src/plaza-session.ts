/**
 * Opening the plaza for a command: builds @nara/plaza options from the settings, connects, waits
 * until every plaza topic is subscribed, and turns the first connect failure into a BrokerError
 * with a fix (the plaza itself would keep retrying, which is right for the agent, not for a CLI).
 *
 * Listening commands (`watch`, `who`) need no soul: they use a throwaway identity and never
 * publish. Signing commands pass the configured identity.
 */
import path from 'node:path'
import { encodeSoul, generateSoul } from '@nara/crypto'
import { createKeyring, createPlaza, type Keyring, type Plaza, type PlazaError } from '@nara/plaza'
import type { Settings } from './config.js'
import { BrokerError, InputError } from './errors.js'
import type { Identity } from './identity.js'
import { readJsonFile, readTextFile } from './io-helpers.js'
import { keyringFromObject } from './keyring-file.js'

/** File name of the agent's pins inside its data directory. */
export const AGENT_KEYRING_FILE = 'keyring.json'

export interface OpenPlazaOptions {
  /** Who we are when we publish; omitted for listen-only commands. */
  identity?: Identity
  /** Pins to start from (name/NaraID -> base64 key). */
  pins?: Record<string, string>
  /** Bound for the first connect + subscribe, in ms. */
  connectTimeoutMs: number
  /** Aborts the wait (SIGINT). */
  signal: AbortSignal
  /** Called on later disconnects/reconnects (long-running commands). */
  onConnectionNote?: (note: string) => void
}

export interface OpenedPlaza {
  plaza: Plaza
  keyring: Keyring
  close(options?: { chau?: boolean }): Promise<void>
}

/**
 * Reads pins: an explicit `--keyring` file (must exist), else the agent's
 * `$NARA_DATA_DIR/keyring.json` when present. Returns the pins and where they came from.
 */
export async function loadPins(
  settings: Settings,
  keyringFile: string | undefined,
): Promise<{ pins: Record<string, string>; source: string | undefined }> {
  const file = keyringFile ?? path.join(settings.dataDir, AGENT_KEYRING_FILE)
  let raw: unknown
  try {
    raw = await readJsonFile(file, 'keyring file')
  } catch (error) {
    if (
      keyringFile === undefined &&
      error instanceof InputError &&
      /no such file/.test(error.message)
    ) {
      return { pins: {}, source: undefined }
    }
    throw error
  }
  const parsed = keyringFromObject(raw, `keyring file ${file}`)
  return { pins: Object.fromEntries(parsed.entries()), source: file }
}

export async function openPlaza(
  settings: Settings,
  options: OpenPlazaOptions,
): Promise<OpenedPlaza> {
  const { broker } = settings
  const ca = broker.tlsCaFile ? await readTextFile(broker.tlsCaFile, 'CA file') : undefined
  const keyring = createKeyring({ json: options.pins ?? {} })
  let identity: { name: string; soul: string }
  if (options.identity) {
    identity = { name: options.identity.name, soul: encodeSoul(options.identity.soul) }
  } else {
    // A listener never publishes: any valid identity will do, and none is stored.
    const throwaway = generateSoul()
    identity = { name: `listener-${throwaway.name}`, soul: encodeSoul(throwaway.soul) }
  }
  const plaza = createPlaza({
    brokerUrl: broker.url,
    ...(broker.username !== undefined ? { username: broker.username } : {}),
    ...(broker.password !== undefined ? { password: broker.password } : {}),
    ...(broker.tls
      ? {
          tls: {
            ...(ca ? { ca } : {}),
            ...(broker.tlsInsecure ? { insecureSkipVerify: true } : {}),
          },
        }
      : {}),
    identity,
    keyring,
    heyThereOnConnect: false,
    connectTimeoutMs: options.connectTimeoutMs,
  })

  let ready = false
  const waitReady = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new BrokerError(`no connection to ${broker.url} within ${options.connectTimeoutMs} ms`),
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
      done(brokerErrorFrom(error, broker.url))
    })
    options.signal.addEventListener('abort', onAbort, { once: true })
  })
  // Errors may arrive while start() is still running; the rejection is handled below.
  waitReady.catch(() => {})
  await plaza.start()
  try {
    await waitReady
    ready = true
  } catch (error) {
    await plaza.stop()
    throw error
  }
  if (options.onConnectionNote) {
    const note = options.onConnectionNote
    plaza.on('disconnected', ({ error }) => {
      if (ready)
        note(`disconnected from ${broker.url}${error ? `: ${error.message}` : ''}; reconnecting`)
    })
    plaza.on('connected', ({ reconnect }) => {
      if (reconnect) note(`reconnected to ${broker.url}`)
    })
  }
  return {
    plaza,
    keyring,
    close: (closeOptions) => plaza.stop(closeOptions),
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
