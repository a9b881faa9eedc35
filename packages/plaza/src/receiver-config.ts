import type { Ed25519Backend } from '@nara/crypto'
import { DEFAULT_MAX_PAYLOAD_BYTES } from '@nara/protocol'
import type { Clock } from './clock.js'
import type { Counters } from './counters.js'
import { InvalidOptionsError } from './errors.js'
import {
  DEFAULT_PRE_VERIFY,
  type PreVerifyBudgetOptions,
  type SenderClass,
} from './inbound/sender-budgets.js'
import type { InboundPipelineOptions } from './inbound-pipeline.js'
import { createKeyring, type Keyring } from './keyring.js'
import type { Logger } from './logger.js'
import type { ReceiverOptions } from './options.js'
import type { VerifyPool } from './verify-pool.js'

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new InvalidOptionsError(`${name} must be a finite number >= 0 (got ${value})`)
  }
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new InvalidOptionsError(`${name} must be an integer >= 1 (got ${value})`)
  }
}

/** Checks the bucket sizes of the pre-verification budgets and the replay memories. */
function checkBudgets(options: ReceiverOptions): void {
  const claimed = options.claimedRateLimit
  checkPositiveInteger('claimedRateLimit.capacity', claimed?.capacity)
  checkNonNegative('claimedRateLimit.refillPerSecond', claimed?.refillPerSecond)
  checkPositiveInteger('claimedRateLimit.maxBuckets', claimed?.maxBuckets)
  for (const cls of ['standing', 'newcomer', 'unknown'] as const) {
    const pool = options.preVerifyPools?.[cls]
    checkPositiveInteger(`preVerifyPools.${cls}.capacity`, pool?.capacity)
    checkNonNegative(`preVerifyPools.${cls}.refillPerSecond`, pool?.refillPerSecond)
  }
  checkPositiveInteger('dedupeSize', options.dedupeSize)
  checkPositiveInteger('dedupeSizePerSender', options.dedupeSizePerSender)
}

/** Checks the numeric options of a receiver (and the reconnect bounds' order). */
export function checkReceiverOptions(options: ReceiverOptions): void {
  for (const key of [
    'reconnectMinMs',
    'reconnectMaxMs',
    'keepaliveSeconds',
    'connectTimeoutMs',
    'maxPayloadBytes',
    'freshnessWindowMs',
    'howdyWindowMs',
    'newspaperWindowMs',
    'maxPins',
    'promoteAfterMs',
  ] as const) {
    checkNonNegative(key, options[key])
  }
  checkBudgets(options)
  if (
    options.keyring !== undefined &&
    (options.maxPins !== undefined || options.promoteAfterMs !== undefined)
  ) {
    throw new InvalidOptionsError(
      'maxPins/promoteAfterMs configure the keyring the receiver creates: pass them to createKeyring for an injected keyring',
    )
  }
  if ((options.reconnectMaxMs ?? 35_000) < (options.reconnectMinMs ?? 5000)) {
    throw new InvalidOptionsError('reconnectMaxMs must be >= reconnectMinMs')
  }
  const workers = options.verifyWorkers ?? 0
  if (!Number.isInteger(workers) || workers < 0) {
    throw new InvalidOptionsError('verifyWorkers must be an integer >= 0')
  }
}

/** The injected keyring, or a fresh one sized by the options. */
export function receiverKeyring(options: ReceiverOptions): Keyring {
  return (
    options.keyring ??
    createKeyring({
      ...(options.maxPins === undefined ? {} : { maxPins: options.maxPins }),
      ...(options.promoteAfterMs === undefined ? {} : { promoteAfterMs: options.promoteAfterMs }),
    })
  )
}

/** The pre-verification budgets: the options over {@link DEFAULT_PRE_VERIFY}. */
function preVerifyOptions(options: ReceiverOptions): PreVerifyBudgetOptions {
  const d = DEFAULT_PRE_VERIFY
  const pool = (cls: SenderClass) => ({
    ...d.pools[cls],
    ...definedOnly(options.preVerifyPools?.[cls]),
  })
  return {
    claimed: { ...d.claimed, ...definedOnly(options.claimedRateLimit) },
    pools: { standing: pool('standing'), newcomer: pool('newcomer'), unknown: pool('unknown') },
  }
}

/** `o` without its undefined fields (so they do not hide the defaults). */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>
}

/** The pipeline's options from the receiver's (defaults of WIRE.md), minus the callbacks. */
export function pipelineOptions(
  options: ReceiverOptions,
  parts: {
    me: string
    keyring: Keyring
    clock: Clock
    counters: Counters
    logger: Logger
    backend: Ed25519Backend
    pool: VerifyPool | undefined
  },
): Omit<InboundPipelineOptions, 'deliver' | 'onDrop' | 'onKeyConflict'> {
  const rate = options.rateLimit
  return {
    ...parts,
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    rateLimit:
      rate === false
        ? false
        : {
            capacity: rate?.capacity ?? 50,
            refillPerSecond: rate?.refillPerSecond ?? 10,
            maxBuckets: rate?.maxBuckets ?? 4096,
          },
    preVerify: preVerifyOptions(options),
    freshnessWindowMs: options.freshnessWindowMs ?? 600_000,
    howdyWindowMs: options.howdyWindowMs ?? 30_000,
    howdyNeedsHeyThere: options.howdyNeedsHeyThere ?? true,
    newspaperWindowMs: options.newspaperWindowMs ?? 600_000,
    dedupeSize: options.dedupeSize ?? 16_384,
    dedupeSizePerSender: options.dedupeSizePerSender ?? 1024,
    acceptUnsigned: new Set(
      options.acceptUnsignedKinds ?? ['ledger_request', 'ledger_response', 'journey_complete'],
    ),
    maxPendingVerifications: options.maxPendingVerifications ?? 10_000,
  }
}
