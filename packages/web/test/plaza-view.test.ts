/**
 * The view's model with a manual clock: presence decisions and how they were made, trust tiers,
 * the bounded stream, drops per minute, key conflicts, checkpoint rounds, and the updates pushed
 * to subscribers. Events are built as the plaza delivers them (frozen `PlazaEvent`s).
 */
import type { PlazaEvent } from '@nara/plaza'
import { createManualClock } from '@nara/plaza/testing'
import { naraStatusSchema } from '@nara/protocol/schemas'
import { describe, expect, it } from 'vitest'
import { createPlazaView, type Update } from '../src/index.js'

const clock = () => createManualClock(1_800_000_000_000)

function ev(
  kind: string,
  sender: string,
  atMs: number,
  extra: Partial<PlazaEvent> = {},
): PlazaEvent {
  const status = naraStatusSchema.parse({ Version: '0.2.0-ts', PublicKey: '' })
  const messages: Record<string, unknown> = {
    hey_there: { hey_there: { From: sender, PublicKey: '', MeshIP: '', ID: '' } },
    chau: { chau: { From: sender, PublicKey: '' } },
    newspaper: { name: sender, envelope: { From: sender, Status: status, Signature: '' } },
    social: { social: { type: 'tease', actor: sender, target: 'bob', reason: 'random' } },
  }
  return {
    kind,
    topic: `nara/plaza/${kind}`,
    sender,
    nameProof: 'signature',
    senderId: undefined,
    authenticated: true,
    eventId: undefined,
    voters: undefined,
    receivedAtMs: atMs,
    message: messages[kind],
    ...extra,
  } as PlazaEvent
}

describe('plaza view', () => {
  it('decides ONLINE from verified evidence, OFFLINE from a chau, MISSING after the silence threshold', () => {
    const c = clock()
    const view = createPlazaView({
      mode: 'watcher',
      broker: 'mqtt://x',
      missingAfterS: 5,
      clock: c,
    })
    const updates: Update[] = []
    view.subscribe((u) => updates.push(u))
    view.start()
    view.event(ev('hey_there', 'alice', c.now()))
    view.event(ev('newspaper', 'bob', c.now()))
    expect(view.snapshot().naras.map((n) => [n.name, n.state, n.decidedBy.kind])).toEqual([
      ['alice', 'ONLINE', 'hey_there'],
      ['bob', 'ONLINE', 'newspaper'],
    ])
    c.advance(3000)
    view.event(ev('chau', 'alice', c.now()))
    c.advance(3000)
    const rows = view.snapshot().naras
    expect(rows.find((n) => n.name === 'alice')).toMatchObject({ state: 'OFFLINE' })
    expect(rows.find((n) => n.name === 'bob')).toMatchObject({
      state: 'MISSING',
      decidedBy: { kind: 'newspaper', atMs: c.now() - 6000 },
      missingAfterMs: 5000,
      impl: 'ts',
      trust: 'signature',
    })
    // The sweep pushed bob's change without any new event.
    const pushed = updates.filter((u) => u.type === 'nara' && u.data.name === 'bob')
    expect(pushed.at(-1)).toMatchObject({ data: { state: 'MISSING' } })
    view.event(ev('newspaper', 'bob', c.now()))
    expect(view.snapshot().naras.find((n) => n.name === 'bob')).toMatchObject({
      state: 'ONLINE',
      restarts: 1,
    })
    view.stop()
  })

  it('tells topic-only names from signed ones, and marks a name with a key conflict', () => {
    const c = clock()
    const view = createPlazaView({ mode: 'watcher', broker: 'mqtt://x', clock: c })
    view.event(ev('newspaper', 'weak', c.now(), { nameProof: 'topic' }))
    view.event(ev('hey_there', 'strong', c.now()))
    view.keyConflict({
      kind: 'hey_there',
      topic: 'nara/plaza/hey_there',
      label: 'name',
      name: 'strong',
      naraId: undefined,
      pinnedKey: Buffer.alloc(32, 1).toString('base64'),
      offeredKey: Buffer.alloc(32, 2).toString('base64'),
    })
    const s = view.snapshot()
    expect(s.naras.map((n) => [n.name, n.trust])).toEqual([
      ['strong', 'conflicted'],
      ['weak', 'topic'],
    ])
    expect(s.refused.conflicts[0]).toMatchObject({ name: 'strong', label: 'name' })
    expect(s.refused.conflicts[0]?.pinnedFingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/)
  })

  it('keeps the stream bounded and counts what fell off', () => {
    const c = clock()
    const view = createPlazaView({ mode: 'watcher', broker: 'mqtt://x', streamMax: 10, clock: c })
    for (let i = 0; i < 25; i++) view.event(ev('social', `n${i}`, c.now()))
    const { stream } = view.snapshot()
    expect(stream.items).toHaveLength(10)
    expect(stream.dropped).toBe(15)
    expect(stream.items.at(-1)).toMatchObject({
      seq: 25,
      kind: 'social',
      summary: 'tease bob (random)',
    })
  })

  it('counts drops by reason per minute and keeps the latest with topic and claimed sender', () => {
    const c = clock()
    const view = createPlazaView({ mode: 'watcher', broker: 'mqtt://x', clock: c })
    const drop = (reason: string) =>
      view.drop({
        reason,
        topic: 'nara/plaza/hey_there',
        kind: 'hey_there',
        claimedSender: 'eve',
        detail: undefined,
      })
    drop('bad-signature')
    drop('bad-signature')
    c.advance(60_000)
    drop('stale')
    const { refused } = view.snapshot()
    expect(refused.totals).toEqual({ 'bad-signature': 2, stale: 1 })
    expect(refused.perMinute.map((m) => m.byReason)).toEqual([{ 'bad-signature': 2 }, { stale: 1 }])
    expect(refused.recent.at(-1)).toMatchObject({ reason: 'stale', claimedSender: 'eve' })
    for (let i = 0; i < 200; i++) drop('rate-limited')
    expect(view.snapshot().refused.recent).toHaveLength(50)
  })

  it('follows a checkpoint round from proposal and votes to a final with verified voters', () => {
    const c = clock()
    const view = createPlazaView({ mode: 'watcher', broker: 'mqtt://x', clock: c })
    view.event(ev('hey_there', 'bob', c.now(), { senderId: 'ID-bob' }))
    const att = { subject: 'alice', subject_id: 'ID-alice', round: 1, observation: {} }
    view.event(
      ev('checkpoint_propose', 'alice', c.now(), {
        message: { ...att, attester: 'alice' },
      } as never),
    )
    view.event(
      ev('checkpoint_vote', 'bob', c.now(), {
        message: { ...att, attester: 'bob', approved: true },
      } as never),
    )
    view.event(
      ev('checkpoint_final', 'alice', c.now(), {
        voters: ['ID-bob'],
        message: { checkpoint: { ...att, voter_ids: ['ID-bob', 'ID-carol'] } },
      } as never),
    )
    const [round] = view.snapshot().checkpoints
    expect(round).toMatchObject({ subject: 'alice', round: 1, proposed: true })
    expect(round?.votes).toEqual([{ name: 'bob', approved: true, proven: true }])
    expect(round?.final?.voters).toEqual([
      { id: 'ID-bob', name: 'bob', verified: true },
      { id: 'ID-carol', name: null, verified: false },
    ])
  })

  it("renders a nara's page: latest status, howdy observations, heartbeats of the last hour", () => {
    const c = clock()
    const view = createPlazaView({ mode: 'watcher', broker: 'mqtt://x', clock: c })
    const first = c.now()
    view.event(ev('newspaper', 'alice', first))
    c.advance(3_599_000)
    view.event(ev('newspaper', 'alice', c.now()))
    c.advance(2000)
    const me = {
      ...naraStatusSchema.parse({}),
      Observations: { bob: { online: 'ONLINE', restarts: 2 } },
    }
    view.event(
      ev('howdy', 'alice', c.now(), { message: { From: 'alice', To: 'bob', Me: me } } as never),
    )
    const page = view.nara('alice')
    expect(page?.heartbeats).toEqual([c.now() - 2000])
    expect(page?.observations?.of).toEqual([{ name: 'bob', online: 'ONLINE', restarts: 2 }])
    expect(page?.status?.version).toBe('0.2.0-ts')
    expect(view.nara('nobody')).toBeUndefined()
  })
})
