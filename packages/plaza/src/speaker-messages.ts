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

/** {@link SpeakerMessages} for one identity. */
class Messages implements SpeakerMessages {
  readonly #keys: SpeakerKeys
  readonly #o: SpeakerMessagesOptions
  readonly #signer: { name: string; seed: Uint8Array }

  constructor(keys: SpeakerKeys, o: SpeakerMessagesOptions) {
    this.#keys = keys
    this.#o = o
    this.#signer = { name: keys.identity.name, seed: keys.seed }
  }

  heyThere(): Outgoing & { readonly eventId: string } {
    const { name, naraId } = this.#keys.identity
    const input = { name, publicKey: this.#keys.publicKey, meshIp: this.#o.meshIp, naraId }
    const ev = buildHeyThere({ ...input, tsNs: this.#tsNs() }, this.#signer, this.#o.backend)
    return { ...syncEvent(TOPICS.heyThere, ev), eventId: ev.id }
  }

  chau(): Outgoing {
    const { name, naraId } = this.#keys.identity
    const input = { name, publicKey: this.#keys.publicKey, naraId, tsNs: this.#tsNs() }
    return syncEvent(TOPICS.chau, buildChau(input, this.#signer, this.#o.backend))
  }

  newspaper(status: NaraStatus): Outgoing {
    const { name, naraId, publicKeyBase64 } = this.#keys.identity
    const statusBytes = new TextEncoder().encode(
      encodeNaraStatus({ ...status, PublicKey: publicKeyBase64, ID: naraId }),
    )
    const signature = signNewspaperStatus(statusBytes, this.#keys.seed, this.#o.backend)
    return {
      topic: newspaperTopic(name),
      payload: encodeNewspaperBytes(name, statusBytes, signature),
    }
  }

  howdy(input: HowdyInput): Outgoing {
    return { topic: TOPICS.howdy, payload: encodeHowdy(this.#howdyOf(input)) }
  }

  social(social: SocialPayload): Outgoing {
    const ev = buildSocial(
      {
        type: social.type,
        actor: social.actor ?? this.#keys.identity.name,
        actorId: social.actor_id,
        target: social.target ?? '',
        targetId: social.target_id,
        reason: social.reason,
        witness: social.witness,
        tsNs: this.#tsNs(),
      },
      this.#signer,
      this.#o.backend,
    )
    return syncEvent(TOPICS.social, ev)
  }

  signCheckpointProposal(proposal: CheckpointProposal): Signed<CheckpointProposal> {
    const { name, naraId } = this.#keys.identity
    const p = {
      ...proposal,
      attester: name,
      attester_id: naraId,
      subject: name,
      subject_id: naraId,
    }
    return { ...p, signature: this.#sign(attestationMessage(p)) }
  }

  signCheckpointVote(vote: CheckpointVote): Signed<CheckpointVote> {
    const { name, naraId } = this.#keys.identity
    const v = { ...vote, attester: name, attester_id: naraId }
    return { ...v, signature: this.#sign(attestationMessage(v)) }
  }

  checkpointProposal(proposal: CheckpointProposal): Outgoing {
    return {
      topic: TOPICS.checkpointPropose,
      payload: encodeCheckpointProposal(this.signCheckpointProposal(proposal)),
    }
  }

  checkpointVote(vote: CheckpointVote): Outgoing {
    return {
      topic: TOPICS.checkpointVote,
      payload: encodeCheckpointVote(this.signCheckpointVote(vote)),
    }
  }

  checkpointFinal(event: CheckpointSyncEvent): Outgoing {
    return syncEvent(TOPICS.checkpointFinal, event)
  }

  ledgerRequest(target: string, subjects: string[] | null): Outgoing {
    const From = this.#keys.identity.name
    return {
      topic: ledgerRequestTopic(target),
      payload: encodeLedgerRequest({ From, Subjects: subjects }),
    }
  }

  ledgerResponse(requester: string, events: LedgerResponse['Events']): Outgoing {
    const From = this.#keys.identity.name
    return {
      topic: ledgerResponseTopic(requester),
      payload: encodeLedgerResponse({ From, Events: events }),
    }
  }

  journeyComplete(completion: JourneyCompletion): Outgoing {
    return { topic: TOPICS.journeyComplete, payload: encodeJourneyCompletion(completion) }
  }

  #tsNs(): bigint {
    return BigInt(Math.trunc(this.#o.nowMs())) * 1_000_000n
  }

  #sign(message: string): string {
    const bytes = new TextEncoder().encode(message)
    return Buffer.from(this.#o.backend.sign(bytes, this.#keys.seed)).toString('base64')
  }

  #howdyOf(input: HowdyInput): HowdyEvent {
    const { name, naraId, publicKeyBase64 } = this.#keys.identity
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
      Signature: this.#sign(howdyMessage(name, input.to, input.seq)),
    }
  }
}

const syncEvent = (topic: string, ev: unknown): Outgoing => ({
  topic,
  payload: encodeSyncEvent(ev as SyncEvent),
})

export function speakerMessages(keys: SpeakerKeys, o: SpeakerMessagesOptions): SpeakerMessages {
  return new Messages(keys, o)
}
