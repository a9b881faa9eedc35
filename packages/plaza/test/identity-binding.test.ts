/**
 * Issue 10, identity binding: a key's own signed traffic can never be blocked or impersonated
 * through an unsigned field (NaraIDs in hey_there, the subject name of a final, a howdy's split).
 */
import { TOPICS } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import type { InboundPipelineOptions } from '../src/inbound-pipeline.js'
import { createKeyring, type KeyConflictEvent } from '../src/index.js'
import {
  finalOf,
  freshNara,
  heyThereOf,
  howdyOf,
  NS,
  proposalOf,
  testNara,
  voteOf,
} from './fixtures/signed-messages.js'
import { testPipeline } from './helpers.js'

const alice = testNara('alice')
const bob = testNara('bob')
const carol = testNara('carol')
const mallory = testNara('mallory')

function setup(overrides: Partial<InboundPipelineOptions> = {}) {
  const conflicts: KeyConflictEvent[] = []
  const t = testPipeline({ onKeyConflict: (c) => conflicts.push(c), ...overrides })
  const nowNs = () => BigInt(t.clock.now()) * NS
  const nowS = () => Math.floor(t.clock.now() / 1000)
  const kinds = (kind: string) => t.delivered.filter((e) => e.kind === kind)
  return { ...t, conflicts, nowNs, nowS, kinds }
}

describe('NaraID squatting', () => {
  it("a fresh key that claims alice's NaraID first cannot block alice's proposal; the ID ends bound to alice's key", () => {
    const { pipeline, keyring, counters, nowNs, nowS, kinds } = setup()
    const squatter = freshNara('squatter')
    pipeline.handle(TOPICS.heyThere, heyThereOf(squatter, nowNs(), alice.id))
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs() + 1n))
    expect(keyring.isDisputed(alice.id)).toBe(true)
    pipeline.handle(TOPICS.checkpointPropose, proposalOf(alice, nowS()))
    expect(kinds('checkpoint_propose')).toEqual([
      expect.objectContaining({ sender: 'alice', senderId: alice.id, nameProof: 'signature' }),
    ])
    expect(keyring.isDisputed(alice.id)).toBe(false)
    expect(keyring.byId(alice.id)).toEqual(alice.publicKey)
    expect(keyring.nameForId(alice.id)).toBe('alice')
    expect(keyring.idSigned(alice.id)).toBe(true)
    // The squatter's unsigned claim no longer disputes it: reported, ignored.
    pipeline.handle(TOPICS.heyThere, heyThereOf(squatter, nowNs() + 2n, alice.id))
    expect(keyring.byId(alice.id)).toEqual(alice.publicKey)
    expect(counters.snapshot().dropped['unknown-sender']).toBeUndefined()
  })

  it('an ID bound only by unsigned claims verifies nothing for a name without a signed pin', () => {
    const { pipeline, counters, nowNs, nowS, kinds } = setup()
    const squatter = freshNara('squatter')
    pipeline.handle(TOPICS.heyThere, heyThereOf(squatter, nowNs(), alice.id))
    // The squatter signs a proposal "as alice" under alice's ID: alice's name has no pin, and
    // the ID's binding is unsigned, so there is no key to check it with.
    const forged = proposalOf({ ...squatter, name: 'alice', id: alice.id }, nowS())
    pipeline.handle(TOPICS.checkpointPropose, forged)
    expect(kinds('checkpoint_propose')).toHaveLength(0)
    expect(counters.snapshot().dropped['unknown-sender']).toBe(1)
  })

  it('two keys that both sign one NaraID dispute it, and neither blocks the other by name', () => {
    const { pipeline, keyring, nowNs, nowS, kinds } = setup()
    pipeline.handle(TOPICS.heyThere, heyThereOf(mallory, nowNs(), mallory.id))
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs() + 1n))
    // mallory signs a vote (her name, her key) whose signed attester_id is alice's ID: a signed
    // claim, so it takes the ID from the unsigned holders (alice's hey_there).
    pipeline.handle(
      TOPICS.checkpointVote,
      voteOf(mallory, carol, nowS(), { name: 'mallory', id: alice.id }),
    )
    expect(kinds('checkpoint_vote')).toHaveLength(1)
    expect(keyring.nameForId(alice.id)).toBe('mallory')
    // alice's own proposal is looked up by her name: accepted, and the ID is disputed for good.
    pipeline.handle(TOPICS.checkpointPropose, proposalOf(alice, nowS()))
    expect(kinds('checkpoint_propose')).toHaveLength(1)
    expect(keyring.isDisputed(alice.id)).toBe(true)
    expect(keyring.byId(alice.id)).toBeUndefined()
  })
})

describe('forged final via unsigned subject', () => {
  const honest = [bob, carol, freshNara('dave'), freshNara('erin')]

  function heard(pipeline: { handle(t: string, p: Uint8Array): void }, nowNs: bigint) {
    for (const [i, n] of honest.entries()) {
      pipeline.handle(TOPICS.heyThere, heyThereOf(n, nowNs + BigInt(i)))
    }
  }

  it('a squatter and honest voters cannot apply a final to alice without her own signature', () => {
    const { pipeline, counters, nowNs, nowS, kinds } = setup()
    const squatter = freshNara('squatter')
    heard(pipeline, nowNs())
    pipeline.handle(TOPICS.heyThere, heyThereOf(squatter, nowNs() + 10n, alice.id))
    // The squatter signs as alice's ID; the honest voters signed values they believed were hers.
    const voters = [{ id: alice.id, seed: squatter.seed }, ...honest]
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, nowS(), voters, nowNs() + 20n))
    // Once alice is heard (her ID disputed), the honest voters alone are still 2 keys: refused.
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs() + 30n))
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, nowS() - 1, voters, nowNs() + 40n))
    expect(kinds('checkpoint_final')).toHaveLength(0)
    expect(counters.snapshot().dropped['subject-unsigned']).toBe(2)
  })

  it("a final with alice's own signature by her pinned key is applied to her", () => {
    const { pipeline, nowNs, nowS, kinds } = setup()
    heard(pipeline, nowNs())
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs() + 10n))
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, nowS(), [alice, ...honest], nowNs()))
    expect(kinds('checkpoint_final')).toEqual([
      expect.objectContaining({
        sender: 'alice',
        nameProof: 'signature',
        voters: [alice.id, ...honest.map((n) => n.id)],
      }),
    ])
  })
})

describe('howdy colon re-split', () => {
  it("a's howdy to b:c re-published as From a:b, To c is dropped, pins nothing, and a's hey_there is no key conflict", () => {
    const { pipeline, keyring, counters, conflicts, nowNs, kinds } = setup({
      howdyNeedsHeyThere: false,
    })
    const split = { signedFrom: 'alice', signedTo: 'b:c' }
    pipeline.handle(TOPICS.howdy, howdyOf(alice, { from: 'alice:b', to: 'c', seq: 1, ...split }))
    // The genuine howdy to "b:c" is refused as well: a name never contains ":".
    pipeline.handle(TOPICS.howdy, howdyOf(alice, { from: 'alice', to: 'b:c', seq: 1 }))
    expect(kinds('howdy')).toHaveLength(0)
    expect(counters.snapshot().dropped['bad-schema']).toBe(2)
    expect(keyring.lookup('alice:b')).toBeUndefined()
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs()))
    expect(kinds('hey_there')).toHaveLength(1)
    expect(counters.snapshot().dropped['key-conflict']).toBeUndefined()
    expect(conflicts).toEqual([])
    expect(keyring.byName('alice')).toEqual(alice.publicKey)
  })

  it('the keyring refuses to pin a name with ":" in any tier', () => {
    const ring = createKeyring()
    const r = ring.pin({ name: 'a:b', publicKey: alice.publicKey })
    expect(r).toEqual({ status: 'refused', reason: 'a name must not contain ":"' })
    expect(ring.pinTopic({ name: 'a:b', publicKey: alice.publicKey }).status).toBe('refused')
    expect(ring.size + ring.weakSize).toBe(0)
  })
})

describe('self-vote', () => {
  it('a vote by its own subject is dropped as self-vote (by name or by ID)', () => {
    const { pipeline, counters, nowNs, nowS, kinds } = setup()
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, nowNs()))
    // alice's self-attestation re-wrapped as a vote, and a vote on her own ID under another name.
    pipeline.handle(TOPICS.checkpointVote, voteOf(alice, alice, nowS()))
    pipeline.handle(TOPICS.checkpointVote, voteOf(alice, { name: 'someone', id: alice.id }, nowS()))
    pipeline.handle(TOPICS.checkpointVote, voteOf(alice, bob, nowS()))
    expect(counters.snapshot().dropped['self-vote']).toBe(2)
    expect(kinds('checkpoint_vote')).toHaveLength(1)
  })
})
