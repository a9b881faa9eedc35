/**
 * The messages a speaker sends, signed with its keys and encoded as the Go naras do (WIRE.md
 * §6): each function returns the topic and the payload bytes; publishing is the speaker's.
 */
import { buildChau, buildHeyThere, buildSocial, type Ed25519Backend } from '@nara/crypto'
import { attestationMessage, howdyMessage, signNewspaperStatus } from '@nara/crypto/wire'
import {
  type CheckpointProposal,
  type CheckpointSyncEvent,
  type CheckpointVote,
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeJourneyCompletion,
  encodeLedgerRequest,
  encodeLedgerResponse,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  type JourneyCompletion,
  type LedgerResponse,
  ledgerRequestTopic,
  ledgerResponseTopic,
  type NaraStatus,
  newspaperTopic,
  type SocialPayload,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import type { SpeakerKeys } from './speaker-keys.js'

/** Fields of a howdy we publish; `From`, `Signature` and `Me.PublicKey`/`Me.ID` are filled in. */
export interface HowdyInput {
  to: string
  seq: number
  you: HowdyEvent['You']
  neighbors: HowdyEvent['Neighbors']
  me: NaraStatus
}

/** A checkpoint proposal or vote with its signature filled in by the speaker. */
export type Signed<T> = T & { readonly signature: string }

/** A message ready to publish. */
export interface Outgoing {
  readonly topic: string
  readonly payload: Uint8Array | string
}

/** Builds, signs and encodes each kind of message a speaker sends. */
export interface SpeakerMessages {
  heyThere(): Outgoing & { readonly eventId: string }
  chau(): Outgoing
  newspaper(status: NaraStatus): Outgoing
  howdy(input: HowdyInput): Outgoing
  social(social: SocialPayload): Outgoing
  signCheckpointProposal(proposal: CheckpointProposal): Signed<CheckpointProposal>
  signCheckpointVote(vote: CheckpointVote): Signed<CheckpointVote>
  checkpointProposal(proposal: CheckpointProposal): Outgoing
  checkpointVote(vote: CheckpointVote): Outgoing
  checkpointFinal(event: CheckpointSyncEvent): Outgoing
  ledgerRequest(target: string, subjects: string[] | null): Outgoing
  ledgerResponse(requester: string, events: LedgerResponse['Events']): Outgoing
  journeyComplete(completion: JourneyCompletion): Outgoing
}

export interface SpeakerMessagesOptions {
  /** Mesh IP advertised in hey_there. */
  meshIp: string
  /** Wall clock, ms: SyncEvent `ts`. */
  nowMs: () => number
  backend: Ed25519Backend
}

export function speakerMessages(keys: SpeakerKeys, o: SpeakerMessagesOptions): SpeakerMessages {
  const { name, naraId, publicKeyBase64 } = keys.identity
  const { publicKey, seed } = keys
  const { backend } = o
  const signer = { name, seed }
  const tsNs = (): bigint => BigInt(Math.trunc(o.nowMs())) * 1_000_000n
  const sign = (message: string): string =>
    Buffer.from(backend.sign(new TextEncoder().encode(message), seed)).toString('base64')
  const syncEvent = (topic: string, ev: unknown): Outgoing => ({
    topic,
    payload: encodeSyncEvent(ev as SyncEvent),
  })

  const messages: SpeakerMessages = {
    heyThere() {
      const ev = buildHeyThere(
        { name, publicKey, meshIp: o.meshIp, naraId, tsNs: tsNs() },
        signer,
        backend,
      )
      return { ...syncEvent(TOPICS.heyThere, ev), eventId: ev.id }
    },
    chau: () =>
      syncEvent(TOPICS.chau, buildChau({ name, publicKey, naraId, tsNs: tsNs() }, signer, backend)),
    newspaper(status) {
      const statusBytes = new TextEncoder().encode(
        encodeNaraStatus({ ...status, PublicKey: publicKeyBase64, ID: naraId }),
      )
      const signature = signNewspaperStatus(statusBytes, seed, backend)
      return {
        topic: newspaperTopic(name),
        payload: encodeNewspaperBytes(name, statusBytes, signature),
      }
    },
    howdy: (input) => ({ topic: TOPICS.howdy, payload: encodeHowdy(howdyOf(input)) }),
    social(social) {
      const ev = buildSocial(
        {
          type: social.type,
          actor: social.actor ?? name,
          actorId: social.actor_id,
          target: social.target ?? '',
          targetId: social.target_id,
          reason: social.reason,
          witness: social.witness,
          tsNs: tsNs(),
        },
        signer,
        backend,
      )
      return syncEvent(TOPICS.social, ev)
    },
    signCheckpointProposal(proposal) {
      const p = {
        ...proposal,
        attester: name,
        attester_id: naraId,
        subject: name,
        subject_id: naraId,
      }
      return { ...p, signature: sign(attestationMessage(p)) }
    },
    signCheckpointVote(vote) {
      const v = { ...vote, attester: name, attester_id: naraId }
      return { ...v, signature: sign(attestationMessage(v)) }
    },
    checkpointProposal: (proposal) => ({
      topic: TOPICS.checkpointPropose,
      payload: encodeCheckpointProposal(messages.signCheckpointProposal(proposal)),
    }),
    checkpointVote: (vote) => ({
      topic: TOPICS.checkpointVote,
      payload: encodeCheckpointVote(messages.signCheckpointVote(vote)),
    }),
    checkpointFinal: (event) => syncEvent(TOPICS.checkpointFinal, event),
    ledgerRequest: (target, subjects) => ({
      topic: ledgerRequestTopic(target),
      payload: encodeLedgerRequest({ From: name, Subjects: subjects }),
    }),
    ledgerResponse: (requester, events) => ({
      topic: ledgerResponseTopic(requester),
      payload: encodeLedgerResponse({ From: name, Events: events }),
    }),
    journeyComplete: (completion) => ({
      topic: TOPICS.journeyComplete,
      payload: encodeJourneyCompletion(completion),
    }),
  }

  function howdyOf(input: HowdyInput): HowdyEvent {
    return {
      From: name,
      To: input.to,
      Seq: input.seq,
      You: input.you,
      Neighbors: input.neighbors,
      Me: {
        ...input.me,
        Observations: input.me.Observations ?? {},
        PublicKey: publicKeyBase64,
        ID: naraId,
      },
      Signature: sign(howdyMessage(name, input.to, input.seq)),
    }
  }
  return messages
}
