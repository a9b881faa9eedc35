/**
 * The documented exceptions of the vector suite `plaza-vectors.json` (also listed in the package
 * README): every vector keeps Go's verdict except these. Key: `<kind>/<vector name>`. Exported so
 * that every suite that replays the vectors (crypto, the plaza pipeline, the CLI) reads the one
 * table.
 */
import type { RejectReason } from './verdict.js'

/**
 * Vectors Go ACCEPTS although they are forged, self-certified or contradict what the receiver
 * has pinned. We reject them, with this reason. Every other vector keeps Go's verdict.
 */
export const STRICTER_THAN_GO: Readonly<Record<string, { reason: RejectReason; why: string }>> = {
  'hey_there/hey_there_with_id__tamper_id_field_uncovered': {
    reason: 'id-mismatch',
    why: 'hey_there.ID contradicts the NaraID pinned for alice (the ID is not signed)',
  },
  'hey_there/hey_there_with_id__impersonation_self_consistent': {
    reason: 'key-conflict',
    why: "embeds carol's key under alice's name; alice's key is pinned",
  },
  'chau/chau_with_id__tamper_id_field_uncovered': {
    reason: 'id-mismatch',
    why: 'chau.ID contradicts the NaraID pinned for alice (the ID is not signed)',
  },
  'chau/chau_with_id__impersonation_self_consistent': {
    reason: 'key-conflict',
    why: "embeds erin's key under alice's name; alice's key is pinned",
  },
  'social/tease_with_ids__tamper_target_id_uncovered': {
    reason: 'id-mismatch',
    why: "social.target_id is not bob's pinned NaraID (the *_id fields are not signed)",
  },
  'observation/restart_signed__tamper_observer_uncovered': {
    reason: 'sender-mismatch',
    why: 'observer erin differs from the signer carol (a restart content string omits the observer)',
  },
  'howdy/howdy_seq1_with_neighbors__tamper_neighbor_key_uncovered': {
    reason: 'key-conflict',
    why: "a neighbour entry claims erin's key for carol, whose key is pinned",
  },
  'howdy/howdy_seq1_with_neighbors__impersonation_self_consistent': {
    reason: 'key-conflict',
    why: "Me.PublicKey is carol's key under bob's name; bob's key is pinned",
  },
  'newspaper/newspaper_alice__tamper_from_uncovered': {
    reason: 'sender-mismatch',
    why: 'envelope From "mallory" differs from the topic name alice',
  },
  'checkpoint_proposal/proposal_round1__tamper_subject_name_uncovered': {
    reason: 'sender-mismatch',
    why: 'subject "mallory" differs from attester alice: a proposal is a self-attestation',
  },
  'checkpoint_final/final_checkpoint__receiver_knows_two_keys': {
    reason: 'subject-unsigned',
    why: "the receiver has no key pinned for alice's name: a final is applied to a name only with that name's own signature",
  },
  'checkpoint_vote/vote_bob__tamper_proposal_ts_uncovered': {
    reason: 'malformed',
    why: 'proposal_ts differs from the signed as_of_time (honest voters always set both alike)',
  },
}
