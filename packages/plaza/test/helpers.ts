import { fastestBackend } from '@nara/crypto'
import { Counters } from '../src/counters.js'
import { createInboundPipeline, type InboundPipelineOptions } from '../src/inbound-pipeline.js'
import {
  createKeyring,
  createPlaza,
  type Plaza,
  type PlazaEvent,
  type PlazaEventMap,
  type PlazaOptions,
  silentLogger,
} from '../src/index.js'
import type { Logger } from '../src/logger.js'
import { createManualClock, type ManualClock, scriptedRandom } from '../src/testing.js'

/** Test souls from WIRE.md §10.1 (upstream `testSoul(n)`). */
export const SOULS = {
  alice: '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG',
  bob: 'AwWZ9cD5cygmGWe6tc3Pak99cunLTXjJ4p5Cw4vo1hzcepmkkfiNgyt',
  carol: '4ZzjCy4m9iS7fpEZgcQVwiXNJYLLXbcS7P3Ec2gmSVCdbd8F4LsMhfA',
  mallory: 'C8GnyXApZYSStetZTdEqvb4ZqBvqG9Ez1QF5jtb2PmpFMxkLrWQXJf2',
} as const

// The fakes live in the package's `./testing` entry; re-exported for the tests here.
export { recordingLogger, scriptedRandom } from '../src/testing.js'

/** Resolves with the next emission of `event` (the test timeout bounds the wait). */
export function nextEvent<K extends keyof PlazaEventMap>(
  plaza: Pick<Plaza, 'on'>,
  event: K,
  filter: (payload: PlazaEventMap[K]) => boolean = () => true,
): Promise<PlazaEventMap[K]> {
  return new Promise((resolve) => {
    const off = plaza.on(event, (payload) => {
      if (!filter(payload)) return
      off()
      resolve(payload)
    })
  })
}

/** Resolves once `n` drops with `reason` have been counted. */
export function dropsCounted(
  plaza: Pick<Plaza, 'on' | 'counters'>,
  reason: string,
  n = 1,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (plaza.counters().dropped[reason] ?? 0) >= n
    if (check()) return resolve()
    const off = plaza.on('drop', () => {
      if (check()) {
        off()
        resolve()
      }
    })
  })
}

export interface TestPlaza {
  plaza: Plaza
  clock: ManualClock
}

/** A plaza for `name` on `url` with a manual clock (shared if given) and scripted random. */
export function makePlaza(
  name: keyof typeof SOULS,
  brokerUrl: string,
  opts: {
    clock?: ManualClock
    random?: () => number
    logger?: Logger
    options?: Partial<PlazaOptions>
  } = {},
): TestPlaza {
  const clock = opts.clock ?? createManualClock()
  const plaza = createPlaza(
    { brokerUrl, identity: { name, soul: SOULS[name] }, ...opts.options },
    {
      clock,
      random: opts.random ?? scriptedRandom([0.5]),
      ...(opts.logger ? { logger: opts.logger } : {}),
    },
  )
  return { plaza, clock }
}

/** Starts `plaza` and waits until its post-connect hey_there is scheduled; returns the delay. */
export async function startAndJoin(plaza: Pick<Plaza, 'on' | 'start'>): Promise<number> {
  const scheduled = nextEvent(plaza, 'hey-there-scheduled')
  await plaza.start()
  return (await scheduled).delayMs
}

/**
 * An inbound pipeline wired for tests: a manual clock, fresh counters and keyring, no rate
 * limit, a ±10 min window, no unsigned kinds, the fastest backend, delivered events collected.
 * `overrides` replace any option (pass `pool` for worker verification).
 */
export function testPipeline(overrides: Partial<InboundPipelineOptions> = {}) {
  const delivered: PlazaEvent[] = []
  const options: InboundPipelineOptions = {
    me: 'bob',
    keyring: createKeyring(),
    clock: createManualClock(),
    counters: new Counters(),
    logger: silentLogger,
    maxPayloadBytes: 64 * 1024,
    rateLimit: false,
    freshnessWindowMs: 600_000,
    dedupeSize: 1000,
    acceptUnsigned: new Set(),
    backend: fastestBackend(),
    maxPendingVerifications: 1000,
    deliver: (e) => delivered.push(e),
    ...overrides,
  }
  const pipeline = createInboundPipeline(options)
  return {
    clock: options.clock as ManualClock,
    counters: options.counters,
    keyring: options.keyring,
    delivered,
    pipeline,
  }
}
