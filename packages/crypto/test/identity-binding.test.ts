/**
 * Issue 10, identity binding in the verifiers (what the plaza and `nara verify` share): names
 * with `:` are malformed, attestations are looked up by the attester NAME, a final needs its
 * subject's own signature by the key pinned to the subject name, and a self-vote is no vote.
 */
import { describe, expect, it } from 'vitest'
import {
  checkpointVoterAttestation,
  computeEventId,
  createKeyLookup,
  type KeyLookup,
  parsePublicKeyBase64OrThrow,
  signAttestation,
  signHowdy,
  verifyCheckpointFinal,
  verifyDecoded,
} from './helpers/public-api.js'
import { identity, keyringOf, seedOf } from './helpers/vectors.js'

const keyOf = (name: string) => parsePublicKeyBase64OrThrow(identity(name).public_key_base64)
const idOf = (name: string) => identity(name).nara_id
const AS_OF = 1768478400

function values(subject: string) {
  return {
    version: 2,
    subject,
    subject_id: idOf(subject),
    observation: { restarts: 12, total_uptime: 864000, start_time: 1760000000 },
    as_of_time: AS_OF,
    round: 1,
  }
}

function attestation(
  signer: string,
  subject: string,
  attester = signer,
  attesterId = idOf(signer),
) {
  const att = { ...values(subject), attester, attester_id: attesterId }
  return { ...att, signature: signAttestation(att, seedOf(signer)) }
}

const vote = (a: ReturnType<typeof attestation>) => ({
  kind: 'checkpoint_vote',
  message: { ...a, proposal_ts: a.as_of_time, approved: true },
})

/** The ring of a plaza whose alice NaraID is held (unsigned) by `holder`'s key. */
function squattedRing(holder: string): KeyLookup {
  const ring = keyringOf()
  const squatted = keyOf(holder)
  return {
    ...ring,
    byId: (id) => (id === idOf('alice') ? squatted : ring.byId(id)),
    nameForId: (id) => (id === idOf('alice') ? holder : ring.nameForId?.(id)),
    idForName: (name) => (name === 'alice' ? undefined : ring.idForName?.(name)),
    idSigned: (id) => id !== idOf('alice'),
  }
}

describe('attestations are looked up by the attester name', () => {
  it("alice's proposal verifies with her name's key although a squatter holds her ID unsigned", () => {
    const proposal = { kind: 'checkpoint_propose', message: attestation('alice', 'alice') }
    expect(verifyDecoded(proposal, squattedRing('erin'))).toEqual({
      verdict: 'accept',
      from: 'alice',
    })
  })

  it('an ID held only by unsigned claims verifies nothing for an unpinned name', () => {
    const ring = squattedRing('erin')
    const forged = attestation('erin', 'alice', 'alice', idOf('alice'))
    const noAliceName: KeyLookup = {
      ...ring,
      byName: (n) => (n === 'alice' ? undefined : ring.byName(n)),
    }
    expect(
      verifyDecoded({ kind: 'checkpoint_propose', message: forged }, noAliceName),
    ).toMatchObject({ verdict: 'reject', reason: 'unknown-sender' })
  })
})

describe('self-vote', () => {
  it('a self-attestation re-wrapped as a vote is rejected as self-vote, by name or by ID', () => {
    expect(verifyDecoded(vote(attestation('alice', 'alice')), keyringOf())).toMatchObject({
      verdict: 'reject',
      reason: 'self-vote',
    })
    const byId = attestation('alice', 'alice', 'alias')
    expect(verifyDecoded(vote(byId), keyringOf())).toMatchObject({ reason: 'self-vote' })
    expect(verifyDecoded(vote(attestation('bob', 'alice')), keyringOf()).verdict).toBe('accept')
  })
})

describe('names never contain ":"', () => {
  it("a's howdy to b:c re-split as From a:b, To c is malformed (either split)", () => {
    const howdy = (From: string, To: string) => ({
      kind: 'howdy',
      message: {
        From,
        To,
        Seq: 1,
        Me: { PublicKey: identity('alice').public_key_base64 },
        Signature: signHowdy('alice', 'b:c', 1, seedOf('alice')),
      },
    })
    expect(verifyDecoded(howdy('alice:b', 'c'), createKeyLookup())).toMatchObject({
      reason: 'malformed',
      detail: 'From contains ":" (a name never does)',
    })
    expect(verifyDecoded(howdy('alice', 'b:c'), createKeyLookup())).toMatchObject({
      reason: 'malformed',
      detail: 'To contains ":" (a name never does)',
    })
  })
})

describe('a final is applied to a name only with that name’s own signature', () => {
  const voters = ['bob', 'carol', 'dave', 'erin', 'frank']
  function final(subject: string, signers: readonly (readonly [string, string])[]) {
    const cp = values(subject)
    const signatures = signers.map(([id, signer]) =>
      signAttestation(checkpointVoterAttestation(cp, id), seedOf(signer)),
    )
    const ev = {
      id: '',
      ts: BigInt(AS_OF + 60) * 1_000_000_000n,
      svc: 'checkpoint' as const,
      checkpoint: { ...cp, voter_ids: signers.map(([id]) => id), signatures },
    }
    return { ...ev, id: computeEventId(ev) }
  }

  it('five honest voters without alice: subject-unsigned', () => {
    const ev = final(
      'alice',
      voters.map((v) => [idOf(v), v] as const),
    )
    expect(verifyCheckpointFinal(ev, keyringOf())).toMatchObject({
      verdict: 'reject',
      reason: 'subject-unsigned',
      validVoters: 5,
    })
  })

  it("a squatter signing under alice's ID does not count as alice: subject-unsigned", () => {
    const signers = [
      [idOf('alice'), 'erin'] as const,
      ...voters.slice(0, 4).map((v) => [idOf(v), v] as const),
    ]
    const ev = final('alice', signers)
    expect(verifyCheckpointFinal(ev, squattedRing('erin'))).toMatchObject({
      reason: 'subject-unsigned',
    })
  })

  it("alice's own signature by her name's key makes it valid", () => {
    const signers = [['alice', 'alice'], ...voters.slice(0, 4).map((v) => [v, v])].map(
      ([n, s]) => [idOf(n as string), s as string] as const,
    )
    expect(verifyCheckpointFinal(final('alice', signers), squattedRing('erin'))).toMatchObject({
      verdict: 'accept',
      validVoters: 5,
    })
  })
})
