/**
 * A quiet nara that only listens (no join hey_there), and an attacker who publishes raw bytes to
 * it one message at a time: each `send` resolves once the nara has settled that message
 * (delivered it, dropped it for one reason, or ignored it as its own), so a check reads like a
 * sequence of verdicts whatever the configuration verifies with.
 */
import type { MqttClient } from 'mqtt'
import { expect, vi } from 'vitest'
import {
  type KeyConflictEvent,
  type Keyring,
  PLAZA_MESSAGE_KINDS,
  type PlazaCounters,
  type PlazaEvent,
  type PlazaOptions,
} from '../../src/index.js'
import { createManualClock, type ManualClock } from '../../src/testing.js'
import { nextEvent } from '../helpers.js'
import type { Subject, SubjectName } from './configurations.js'
import type { Session } from './matrix.js'

export interface Listening {
  readonly subject: Subject
  readonly clock: ManualClock
  readonly keyring: Keyring
  /** Every message the nara delivered, in order. */
  readonly delivered: PlazaEvent[]
  /** Every key conflict it reported, in order. */
  readonly conflicts: KeyConflictEvent[]
  readonly attacker: MqttClient
  counters(): PlazaCounters
  /** Publishes `payload` raw on `topic`; resolves once the nara has settled it. */
  send(topic: string, payload: Uint8Array | string): Promise<void>
  /** Publishes every message at once (a burst), then waits until all are settled. */
  burst(messages: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void>
}

/** The per-sender bucket the old pipeline tests used: 5 messages of burst, 1 per second. */
export const SMALL_BUCKET = { rateLimit: { capacity: 5, refillPerSecond: 1 } } as const

const sum = (m: Readonly<Record<string, number>>) => Object.values(m).reduce((a, b) => a + b, 0)

/** Messages the nara has settled: delivered, dropped (any reason) or ignored as its own. */
export function settledCount(c: PlazaCounters): number {
  return sum(c.accepted) + sum(c.dropped) + c.own
}

/** Opens `name` (default bob) the session's way, connected and subscribed, with `options`. */
export async function listen(
  s: Session,
  options: Partial<PlazaOptions> = {},
  name: SubjectName = 'bob',
): Promise<Listening> {
  const clock = createManualClock()
  const subject = s.open(name, { clock, options: { heyThereOnConnect: false, ...options } })
  const delivered: PlazaEvent[] = []
  const conflicts: KeyConflictEvent[] = []
  for (const kind of PLAZA_MESSAGE_KINDS) subject.on(kind, (e) => delivered.push(e))
  subject.on('key-conflict', (c) => conflicts.push(c))
  const subscribed = nextEvent(subject, 'subscribed')
  await subject.start()
  await subscribed
  const attacker = await s.rawClient()
  const counters = () => subject.counters()
  const settledAt = async (target: number) => {
    await vi.waitFor(
      () => {
        if (settledCount(counters()) < target) throw new Error('not settled yet')
      },
      { interval: 1, timeout: 15_000 },
    )
    // Each message settles exactly once.
    expect(settledCount(counters())).toBe(target)
  }
  return {
    subject,
    clock,
    keyring: subject.keyring,
    delivered,
    conflicts,
    attacker,
    counters,
    async send(topic, payload) {
      const target = settledCount(counters()) + 1
      await attacker.publishAsync(topic, Buffer.from(payload))
      await settledAt(target)
    },
    async burst(messages) {
      const target = settledCount(counters()) + messages.length
      await Promise.all(messages.map(([t, p]) => attacker.publishAsync(t, Buffer.from(p))))
      await settledAt(target)
    },
  }
}
