/**
 * The kind table: one entry per decoded kind, and what each entry tells a receiver (topic,
 * sender, ID claims, time, replay key, plan) agrees with the golden vectors.
 */
import { type DecodedKind, decodeMessage, decodeSyncEvent, type TopicKind } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import {
  createKeyLookup,
  KINDS,
  kindOf,
  type MessageKind,
  planDecoded,
} from './helpers/public-api.js'
import { STRICTER_THAN_GO } from './helpers/stricter-than-go.js'
import { keyringFor, MESSAGE_KINDS, messageVectors, utf8 } from './helpers/vectors.js'

const DECODED_KINDS: Record<DecodedKind, true> = {
  hey_there: true,
  chau: true,
  social: true,
  ping: true,
  observation: true,
  seen: true,
  checkpoint_final: true,
  howdy: true,
  newspaper: true,
  checkpoint_propose: true,
  checkpoint_vote: true,
  ledger_request: true,
  ledger_response: true,
  journey_complete: true,
  stash_refresh: true,
}

const TOPIC_KINDS: TopicKind[] = [
  'hey_there',
  'chau',
  'howdy',
  'social',
  'journey_complete',
  'stash_refresh',
  'newspaper',
  'ledger_request',
  'ledger_response',
  'checkpoint_propose',
  'checkpoint_vote',
  'checkpoint_final',
]

function decode(topic: string | null, payload: string) {
  const r = topic === null ? decodeSyncEvent(utf8(payload)) : decodeMessage(topic, utf8(payload))
  if (!r.ok) throw new Error(`does not decode: ${r.reason}`)
  return r
}

describe('the kind table', () => {
  it('has one entry per decoded kind, under its own name', () => {
    expect(Object.keys(KINDS).sort()).toEqual(Object.keys(DECODED_KINDS).sort())
    for (const [name, kind] of Object.entries(KINDS)) expect(kind.name).toBe(name)
  })

  it('maps every topic kind to exactly the kind that arrives on it', () => {
    for (const topic of TOPIC_KINDS) {
      const entries = Object.values(KINDS).filter((k) => k.topic === topic)
      expect(entries.map((k) => k.name)).toEqual([topic])
    }
    expect(['ping', 'observation', 'seen'].map((k) => kindOf(k)?.topic)).toEqual([null, null, null])
  })

  it('knows no kind outside the table (planDecoded says unsupported)', () => {
    expect(kindOf('hey-there')).toBeUndefined()
    expect(kindOf('toString')).toBeUndefined()
    const plan = planDecoded({ kind: 'toString', message: {} }, createKeyLookup())
    expect(plan.finish([])).toMatchObject({ verdict: 'reject', reason: 'unsupported' })
  })

  it('unsigned kinds are unsupported whatever they carry', () => {
    for (const k of Object.values(KINDS) as MessageKind[]) {
      if (k.signed) continue
      const plan = k.plan({ kind: k.name, message: { From: 'x' } } as never, createKeyLookup())
      expect(plan.checks).toEqual([])
      expect(plan.finish([])).toMatchObject({ reason: 'unsupported' })
    }
  })

  it.each(MESSAGE_KINDS)('%s base vectors: sender, IDs, time, replay key and plan agree', (vk) => {
    for (const v of messageVectors(vk).filter(
      (x) => x.expect === 'accept' && !STRICTER_THAN_GO[`${vk}/${x.name}`],
    )) {
      const decoded = decode(v.transport.topic, v.payload_utf8)
      const kind = KINDS[decoded.kind] as MessageKind
      const plan = kind.plan(decoded as never, keyringFor(vk, v.name))
      const verdict = plan.finish(plan.checks.map(() => true))
      expect(verdict.verdict, v.name).toBe('accept')
      expect(kind.sender(decoded as never), v.name).toBe(verdict.from)
      for (const claim of kind.ids(decoded as never)) expect(claim.field).not.toBe('')
      expect(typeof kind.summary(decoded as never)).toBe('string')
      if (kind.svc !== null) {
        const ev = decoded.message as { ts: bigint; id: string }
        expect(kind.timeNs(decoded as never)).toBe(ev.ts)
        expect(kind.replayKey(decoded as never)).toBe(plan.eventId)
      }
    }
  })
})
