import type { Clock } from './clock.js'
import type { Keyring } from './keyring.js'
import type { Logger } from './logger.js'
import type { TlsOptions } from './mqtt-connection.js'
import type { PlazaMessageKind } from './plaza-event.js'
import type { RandomSource } from './random.js'

/**
 * Options of `createReceiver`: one broker connection, its reconnect loop, the keyring and the
 * verified inbound pipeline. Units are in the names; defaults follow WIRE.md.
 */
export interface ReceiverOptions {
  /**
   * Broker URL, or a list of them (a cluster): `mqtt://`, `mqtts://`, `ws://`, `wss://`, Go's
   * `tcp://`, `ssl://`, `tls://`, or a bare `host:port` (TCP). A list is shuffled once (with the
   * injected random source) so a fleet spreads over the cluster; the receiver connects to one,
   * and each failed attempt or lost connection moves the reconnect loop to the next.
   * Credentials in a URL are accepted but never logged.
   */
  brokerUrl: string | readonly string[]
  username?: string
  password?: string
  /** TLS for `mqtts://`/`wss://`: CA, client certificate. Verification is ON by default. */
  tls?: TlsOptions
  /** MQTT client ID; default `nara-ts-{pid}-{random}`. Must not equal a nara name. */
  clientId?: string
  /** TOFU keyring (inject one to persist pins). Default: a fresh in-memory keyring. */
  keyring?: Keyring
  /** Reconnect wait bounds, in ms: each wait is uniform in [min, max). Default 5000 / 35 000. */
  reconnectMinMs?: number
  reconnectMaxMs?: number
  /** MQTT keep-alive, in seconds. Default 30 (Go's paho default). */
  keepaliveSeconds?: number
  /** Abandon a connection attempt after this long, in ms (real time). Default 30 000. */
  connectTimeoutMs?: number
  /** Largest accepted inbound payload, in bytes. Default 64 KiB (`DEFAULT_MAX_PAYLOAD_BYTES`). */
  maxPayloadBytes?: number
  /**
   * Per-sender token bucket: `capacity` messages of burst, `refillPerSecond` sustained, at most
   * `maxBuckets` senders tracked. Default 50 / 10 per s / 4096. `false` disables it.
   */
  rateLimit?: { capacity?: number; refillPerSecond?: number; maxBuckets?: number } | false
  /**
   * Accepted distance of a SyncEvent `ts`, and of a proposal/vote `as_of_time`, from our clock,
   * in ms (both directions). Event replay memory lasts twice this long. Default 600 000 (±10 min).
   */
  freshnessWindowMs?: number
  /**
   * Howdy window, in ms (Go's coordinator window): a howdy From/To/Seq is remembered this long,
   * and a howdy to X is fresh only this long after X's verified hey_there. Default 30 000.
   */
  howdyWindowMs?: number
  /**
   * Require a verified hey_there from a howdy's `To` within `howdyWindowMs` (Go restarts Seq at 1
   * each round, so an older howdy is a replay). Default true.
   */
  howdyNeedsHeyThere?: boolean
  /** How long a newspaper's Status hash is remembered against replays, in ms. Default 600 000. */
  newspaperWindowMs?: number
  /**
   * Per-name budget BEFORE verification, for names the keyring knows (standing or newcomer):
   * `capacity` messages of burst, `refillPerSecond` sustained, at most `maxBuckets` names tracked.
   * Charged to the name a message CLAIMS, so a flood from one name spends only that name's
   * bucket. Default 30 / 10 per s / 4096. Off when `rateLimit` is false.
   */
  claimedRateLimit?: { capacity?: number; refillPerSecond?: number; maxBuckets?: number }
  /**
   * Pools BEFORE verification, by the claimed sender's class: `standing` (durable pin),
   * `newcomer` (provisional or topic-only pin), `unknown` (no pin, or no readable claim), each
   * `{ capacity, refillPerSecond }` in messages and messages per second. Junk can only spend the
   * unknown pool. Default standing 4000 / 2000 per s, newcomer 1000 / 500, unknown 400 / 200.
   * Off when `rateLimit` is false.
   */
  preVerifyPools?: {
    standing?: { capacity?: number; refillPerSecond?: number }
    newcomer?: { capacity?: number; refillPerSecond?: number }
    unknown?: { capacity?: number; refillPerSecond?: number }
  }
  /**
   * Most labels (names + NaraIDs) of the keyring the receiver creates; beyond it the oldest
   * provisional pins are evicted (topic-only pins are bounded by it separately). Default 100 000.
   * With an injected `keyring`, pass it to `createKeyring` instead (InvalidOptionsError here).
   */
  maxPins?: number
  /**
   * A provisional pin of the created keyring becomes durable when its key speaks again (verified)
   * at least this long after it was pinned, in ms. Default 60 000. With an injected `keyring`,
   * pass it to `createKeyring` instead (InvalidOptionsError here).
   */
  promoteAfterMs?: number
  /** Most unexpired entries of each replay memory (event IDs, howdy Seqs...). Default 16 384. */
  dedupeSize?: number
  /**
   * Most unexpired entries one sender holds in each replay memory; beyond it its messages drop as
   * `overloaded` until they expire. Default 1024.
   */
  dedupeSizePerSender?: number
  /**
   * Kinds that have no signature on the wire (WIRE.md §6.7, §6.8) and are delivered with
   * `authenticated: false`. Default all three: `ledger_request`, `ledger_response`,
   * `journey_complete`. Pass `[]` to drop them as `unsigned`.
   */
  acceptUnsignedKinds?: readonly PlazaMessageKind[]
  /**
   * Signature checks off the main thread: number of worker threads. Default 0 (verify inline
   * with the fastest backend). Once every worker holds 256 unfinished checks, the main thread
   * verifies further ones itself, so `os.availableParallelism() - 1` workers keep every core
   * busy under load. Delivery order across messages is then not guaranteed.
   */
  verifyWorkers?: number
  /** Most signature checks queued for the workers before messages drop as `overloaded`. Default 10 000. */
  maxPendingVerifications?: number
  /** Bound of each `events()` iterator's buffer; the oldest event is dropped beyond it. Default 10 000. */
  eventBufferSize?: number
  /** Stops the receiver when aborted (same as `stop()`). */
  signal?: AbortSignal
}

/** Who a speaker is. */
export interface IdentityOptions {
  /** Nara name (also the newspaper topic). */
  name: string
  /** Soul, base58 text (54/55 characters). Secret: never logged. */
  soul: string
  /** Mesh (tailnet) IP advertised in hey_there, default "". */
  meshIp?: string
}

/** What a speaker does on its own, in a single nara and in a town alike. */
export interface SpeakerBehaviour {
  /** Who we are. */
  identity: IdentityOptions
  /** Send a jittered hey_there after every subscribe (every (re)connect). Default true. */
  heyThereOnConnect?: boolean
  /** Upper bound (exclusive) of the post-connect hey_there jitter, in ms. Default 5000. */
  joinJitterMaxMs?: number
}

/** Options of `createPlaza`: one nara = one receiver and one speaker. */
export interface PlazaOptions extends ReceiverOptions, SpeakerBehaviour {}

/** Injected collaborators; tests pass a manual clock and a scripted random source. */
export interface PlazaDeps {
  clock?: Clock
  random?: RandomSource
  logger?: Logger
}
