/** Our own verification cases beyond the Go vectors (stricter-than-Go behaviour, TOFU, kinds). */
import { decodeMessage, encodeSyncEvent } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import {
  buildHeyThere,
  buildSocial,
  checkpointVoterAttestation,
  computeEventId,
  createKeyLookup,
  eventIdMatches,
  type KeyLookup,
  KINDS,
  parsePublicKeyBase64OrThrow,
  type SyncEventLike,
  signAttestation,
  signNewspaperStatus,
  signSyncEvent,
  type VerifyOptions,
  verifyCheckpointFinal,
  verifyDecoded,
  verifyNewspaperStatus,
  verifySyncEvent,
} from './helpers/public-api.js'
import { identity, keyringOf, seedOf, utf8 } from './helpers/vectors.js'

const EMPTY_KEYRING = createKeyLookup()

/** A SyncEvent verified through the kind table, by its `svc` (what the plaza does per topic). */
function verifySignedSyncEvent(ev: SyncEventLike, keys: KeyLookup, options: VerifyOptions = {}) {
  const kind = Object.values(KINDS).find((k) => k.svc === ev.svc)?.name ?? ev.svc
  return verifyDecoded({ kind, message: ev }, keys, options)
}

const alice = identity('alice')
const aliceKey = parsePublicKeyBase64OrThrow(alice.public_key_base64)
const T = 1768774453123456789n

function heyThereFrom(name: string, signerName = name) {
  const i = identity(signerName)
  return buildHeyThere(
    { name, publicKey: i.public_key_base64, naraId: identity(name).nara_id, tsNs: T },
    { name, seed: seedOf(signerName) },
  )
}

describe('checkpoint final: duplicated voters (WIRE §12.9)', () => {
  const subjectId = alice.nara_id
  const cp = {
    version: 2,
    subject: 'alice',
    subject_id: subjectId,
    previous_checkpoint_id: '88b7bf75975b8a6f543176ad32881633',
    observation: { restarts: 12, total_uptime: 864000, start_time: 1760000000 },
    as_of_time: 1768478400,
    round: 1,
  }
  const aliceSig = signAttestation(checkpointVoterAttestation(cp, subjectId), seedOf('alice'))
  const junk = `${'A'.repeat(86)}==`

  function finalWith(voterIds: string[], signatures: string[]) {
    const ev = {
      id: '',
      ts: 1768478460000000000n,
      svc: 'checkpoint' as const,
      checkpoint: { ...cp, voter_ids: voterIds, signatures },
    }
    return { ...ev, id: computeEventId(ev) }
  }

  it('rejects one valid self-attestation listed twice plus three junk entries (Go accepts)', () => {
    const ev = finalWith(
      [subjectId, subjectId, 'junk-1', 'junk-2', 'junk-3'],
      [aliceSig, aliceSig, junk, junk, junk],
    )
    // What Go counts: 5 list entries, 2 "valid" (the same signature twice) → stored.
    const bytes = utf8(encodeSyncEvent(ev))
    const verdict = verifyDecoded(decodeMessage('nara/checkpoint/final', bytes), keyringOf())
    expect(verdict).toMatchObject({ verdict: 'reject', reason: 'duplicate-voter' })
  })

  it('needs two DISTINCT valid voters even without duplicates', () => {
    const ev = finalWith(
      [subjectId, 'junk-1', 'junk-2', 'junk-3', 'junk-4'],
      [aliceSig, junk, junk, junk, junk],
    )
    expect(verifyCheckpointFinal(ev, keyringOf())).toMatchObject({
      verdict: 'reject',
      reason: 'too-few-signatures',
      validVoters: 1,
      totalSignatures: 5,
    })
  })

  it('counts distinct public keys: one key that answers to five NaraIDs is one voter', () => {
    const ids = ['sock-1', 'sock-2', 'sock-3', 'sock-4', 'sock-5']
    const ring = createKeyLookup(ids.map((id) => ({ id, publicKey: aliceKey })))
    const sigs = ids.map((id) =>
      signAttestation(checkpointVoterAttestation(cp, id), seedOf('alice')),
    )
    expect(verifyCheckpointFinal(finalWith(ids, sigs), ring)).toMatchObject({
      verdict: 'reject',
      reason: 'too-few-signatures',
      knownKeys: 5,
      validVoters: 1,
    })
  })

  it('rejects a voter signature in lax base64 without checking it', () => {
    const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const c = ALPHA.indexOf(aliceSig[85] as string)
    const lax = `${aliceSig.slice(0, 85)}${ALPHA[c ^ 1]}==`
    const bob = identity('bob')
    const bobSig = signAttestation(checkpointVoterAttestation(cp, bob.nara_id), seedOf('bob'))
    const ev = finalWith(
      [subjectId, bob.nara_id, 'junk-1', 'junk-2', 'junk-3'],
      [lax, bobSig, junk, junk, junk],
    )
    expect(verifyCheckpointFinal(ev, keyringOf())).toMatchObject({
      reason: 'too-few-signatures',
      validVoters: 1,
    })
    const fine = finalWith(
      [subjectId, bob.nara_id, 'junk-1', 'junk-2', 'junk-3'],
      [aliceSig, bobSig, junk, junk, junk],
    )
    expect(verifyCheckpointFinal(fine, keyringOf())).toMatchObject({
      verdict: 'accept',
      validVoters: 2,
      voterIds: [subjectId, bob.nara_id],
    })
  })

  it('rejects a final whose id was not recomputed from its content', () => {
    const ev = finalWith([subjectId], [aliceSig])
    expect(verifyCheckpointFinal({ ...ev, id: '0'.repeat(32) }, keyringOf())).toMatchObject({
      reason: 'bad-id',
    })
  })
})

describe('trust on first use and pinning', () => {
  it("does not reject a message because its UNSIGNED ID field is another nara's ID", () => {
    // erin copies alice's NaraID into her hey_there: the ID is not signed, so it proves
    // nothing either way; rejecting would let anyone silence alice by squatting her ID.
    const mallory = identity('erin')
    const ev = buildHeyThere(
      { name: 'erin', publicKey: mallory.public_key_base64, naraId: alice.nara_id, tsNs: T },
      { name: 'erin', seed: seedOf('erin') },
    )
    const ring = keyringOf(['alice'])
    expect(verifySignedSyncEvent(ev, ring)).toEqual({ verdict: 'accept', from: 'erin' })
    // alice's own pinned ID contradicted is still id-mismatch.
    const lie = buildHeyThere(
      { name: 'alice', publicKey: alice.public_key_base64, naraId: mallory.nara_id, tsNs: T },
      { name: 'alice', seed: seedOf('alice') },
    )
    expect(verifySignedSyncEvent(lie, ring)).toMatchObject({ reason: 'id-mismatch' })
  })

  it('accepts an embedded key as first use with an empty keyring', () => {
    expect(verifySignedSyncEvent(heyThereFrom('alice'), EMPTY_KEYRING)).toEqual({
      verdict: 'accept',
      from: 'alice',
    })
  })

  it('an impersonation is first use for an empty keyring, a key-conflict once alice is pinned', () => {
    // carol signs a hey_there that claims to be alice, with carol's own key embedded.
    const forged = buildHeyThere(
      { name: 'alice', publicKey: identity('carol').public_key_base64, naraId: '', tsNs: T },
      { name: 'alice', seed: seedOf('carol') },
    )
    expect(verifySignedSyncEvent(forged, EMPTY_KEYRING).verdict).toBe('accept')
    const pinned = createKeyLookup([{ name: 'alice', publicKey: aliceKey }])
    expect(verifySignedSyncEvent(forged, pinned)).toMatchObject({ reason: 'key-conflict' })
  })

  it('requireKnownSender turns first use into self-certified', () => {
    expect(
      verifySignedSyncEvent(heyThereFrom('alice'), EMPTY_KEYRING, { requireKnownSender: true }),
    ).toMatchObject({ verdict: 'reject', reason: 'self-certified' })
  })

  it('a social event from an unknown emitter is unknown-sender (Go accepts it)', () => {
    const ev = buildSocial(
      { type: 'tease', actor: 'alice', target: 'bob', reason: 'random', tsNs: T },
      { name: 'alice', seed: seedOf('alice') },
    )
    expect(verifySignedSyncEvent(ev, EMPTY_KEYRING)).toMatchObject({ reason: 'unknown-sender' })
    expect(verifySignedSyncEvent(ev, keyringOf()).verdict).toBe('accept')
  })

  it('a social event whose actor is not its emitter speaks for the emitter (the actor is a claim)', () => {
    // Go's constructor signs such events with the emitter's key; the signature proves only that
    // alice says bob teased carol.
    const ev = buildSocial(
      { type: 'tease', actor: 'bob', target: 'carol', reason: 'random', tsNs: T },
      { name: 'alice', seed: seedOf('alice') },
    )
    expect(verifySignedSyncEvent(ev, keyringOf())).toEqual({ verdict: 'accept', from: 'alice' })
    expect(KINDS.social.sender({ kind: 'social', message: ev } as never)).toBe('alice')
    // Signed by bob's key as "alice": still checked with alice's pinned key.
    const forged = buildSocial(
      { type: 'tease', actor: 'bob', target: 'carol', reason: 'random', tsNs: T },
      { name: 'alice', seed: seedOf('bob') },
    )
    expect(verifySignedSyncEvent(forged, keyringOf())).toMatchObject({ reason: 'bad-signature' })
  })

  it("a social event's key comes from its emitter NAME, never from the unsigned emitter_id", () => {
    // carol signs a tease as "erin" and writes her own NaraID into the (unsigned) emitter_id.
    const carol = identity('carol')
    const signed = buildSocial(
      { type: 'tease', actor: 'erin', target: 'bob', reason: 'random', tsNs: T },
      { name: 'erin', seed: seedOf('carol') },
    )
    const forged = { ...signed, emitter_id: carol.nara_id }
    const onlyCarol = createKeyLookup([
      {
        name: 'carol',
        id: carol.nara_id,
        publicKey: parsePublicKeyBase64OrThrow(carol.public_key_base64),
      },
    ])
    // erin is unknown: carol's ID does not make carol's key speak for erin.
    expect(verifySignedSyncEvent(forged, onlyCarol)).toMatchObject({
      verdict: 'reject',
      reason: 'unknown-sender',
    })
    // erin is pinned to erin's own key: carol's signature does not verify under it.
    expect(verifySignedSyncEvent(forged, keyringOf())).toMatchObject({ verdict: 'reject' })
  })

  it('unsigned hey_there is rejected (Go accepts it)', () => {
    const { sig: _sig, ...unsigned } = heyThereFrom('alice')
    expect(verifySignedSyncEvent(unsigned, keyringOf())).toMatchObject({ reason: 'unsigned' })
  })
})

describe('event ids are recomputed, never trusted', () => {
  it('eventIdMatches and bad-id', () => {
    const ev = heyThereFrom('alice')
    expect(eventIdMatches(ev)).toBe(true)
    const otherId = { ...ev, id: computeEventId({ ...ev, ts: ev.ts + 1n }) }
    expect(eventIdMatches(otherId)).toBe(false)
    // Re-signed over the wrong id: the signature is fine, the id is not.
    const resigned = signSyncEvent(otherId, { name: 'alice', seed: seedOf('alice') })
    expect(resigned.id).toBe(ev.id) // signing recomputes the id
    const forged = { ...otherId, sig: resigned.sig }
    expect(verifySignedSyncEvent(forged, keyringOf())).toMatchObject({ reason: 'bad-id' })
  })

  it('verifySyncEvent: unsigned or malformed signature → false; bad key → typed error', () => {
    const ev = heyThereFrom('alice')
    expect(verifySyncEvent(ev, aliceKey)).toBe(true)
    expect(verifySyncEvent({ ...ev, sig: '' }, aliceKey)).toBe(false)
    expect(verifySyncEvent({ ...ev, sig: 'not base64!' }, aliceKey)).toBe(false)
    expect(() => verifySyncEvent(ev, aliceKey.subarray(1))).toThrow(
      expect.objectContaining({ name: 'InvalidPublicKeyError' }),
    )
  })
})

describe('newspaper', () => {
  it('verifies over the raw bytes only', () => {
    const status = utf8('{"PublicKey":"x","Flair":"\\u003c3"}')
    const sig = signNewspaperStatus(status, seedOf('alice'))
    expect(verifyNewspaperStatus(status, sig, aliceKey)).toBe(true)
    expect(verifyNewspaperStatus(utf8('{"Flair":"\\u003c3","PublicKey":"x"}'), sig, aliceKey)).toBe(
      false,
    )
  })
})

describe('verifyDecoded on other inputs', () => {
  it('undecodable → malformed; unsigned kinds → unsupported', () => {
    expect(
      verifyDecoded(decodeMessage('nara/plaza/hey_there', utf8('{')), keyringOf()),
    ).toMatchObject({ verdict: 'reject', reason: 'malformed' })
    const ledger = decodeMessage(
      'nara/ledger/bob/request',
      utf8('{"From":"alice","Subjects":null}'),
    )
    expect(ledger.ok).toBe(true)
    expect(verifyDecoded(ledger, keyringOf())).toMatchObject({ reason: 'unsupported' })
  })

  it('round trip: build, encode with protocol, decode, verify', () => {
    const bytes = utf8(encodeSyncEvent(heyThereFrom('bob')))
    expect(verifyDecoded(decodeMessage('nara/plaza/hey_there', bytes), keyringOf())).toEqual({
      verdict: 'accept',
      from: 'bob',
    })
  })
})
