/**
 * The shape of the golden vector file `shared/vectors/plaza-vectors.json`, as `vectors.ts` reads
 * it: its message kinds (one section each, in file order) and the typed fields of each section.
 */

/** The message kinds of the file, in file order. */
export const MESSAGE_KINDS = [
  'hey_there',
  'chau',
  'social',
  'ping',
  'observation',
  'seen',
  'howdy',
  'newspaper',
  'checkpoint_proposal',
  'checkpoint_vote',
  'checkpoint_final',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** `meta`: where the vectors come from (upstream Go commit, toolchain, conventions). */
export interface VectorsMeta {
  description: string
  upstream_repository: string
  upstream_commit: string
  upstream_commit_date: string
  upstream_nara_version: string
  go_toolchain: string
  dependencies: Record<string, string>
  conventions: Record<string, string>
}

/** One nara of the file: its soul, name, keys and NaraID (label = the short handle). */
export interface VectorIdentity {
  description: string
  label: string
  name: string
  seed_hex: string
  seed_derivation: string
  tag_hex: string
  soul_bytes_hex: string
  soul: string
  bond_valid: boolean
  ed25519_seed_hex: string
  public_key_base64: string
  public_key_hex: string
  nara_id: string
}

export interface BondCheck {
  description: string
  soul: string
  name: string
  bond_valid: boolean
  expect?: string
  parse_error?: string
  nara_id_if_computed_anyway?: string
}

export interface GeneratedName {
  input: string
  name: string
}

export interface DetermineIdentityVector {
  description: string
  function: string
  args: { name: string; soul: string; hostname: string; hardware_fragments: string }
  hardware_fingerprint_hex: string
  result_name: string
  result_soul: string
  result_nara_id: string
  is_valid_bond: boolean
  is_native: boolean
  public_key_base64?: string
}

export interface IdentitySection {
  description: string
  identities: VectorIdentity[]
  bond_checks: BondCheck[]
  generated_names: GeneratedName[]
  determine_identity: DetermineIdentityVector[]
}

/** The MQTT topic a vector travels on; null for gossip-only SyncEvents (ping, observation, seen). */
export interface VectorTransport {
  topic: string | null
  qos: number
  retained: boolean
}

export interface VectorSigning {
  signer: string
  public_key_base64: string
  preimage?: string
  signed_bytes_hex?: string
  signed_message_utf8?: string
  signed_bytes_utf8?: string
  signed_bytes_base64?: string
  signature_base64: string
}

export interface UpstreamVerify {
  function: string
  result: boolean
  known_keys?: number
  valid_signatures?: number
}

/** One message vector as the file holds it (see {@link KindedMessageVector} for its kind). */
export interface MessageVector {
  name: string
  description: string
  expect: 'accept' | 'reject'
  derived_from?: string
  inputs?: Record<string, unknown> & { clock_unix_nano?: string }
  ts_unit?: string
  ts_decimal?: string
  event_id?: string
  id_preimage?: string
  content_string?: string
  signing?: VectorSigning | null
  transport: VectorTransport
  /** The exact bytes published, as a string. */
  payload_utf8: string
  /** The same bytes, base64. */
  payload_base64: string
  /** The same JSON re-indented for reading (big integers lose precision): never verify this. */
  payload: unknown
  upstream_verify: UpstreamVerify
  upstream_handler?: string
  signatures?: Array<{
    voter: string
    voter_id: string
    signed_message_utf8: string
    signature_base64: string
  }>
  clock_unix_nano?: string
}

/** A message vector together with the kind (file section) it belongs to. */
export interface KindedMessageVector extends MessageVector {
  kind: MessageKind
}

/** hey_there/chau signed the old way: an inner signature over `signed_message_utf8`. */
export interface LegacyInnerVector {
  name: string
  description: string
  expect: 'accept' | 'reject'
  signed_message_utf8: string
  signed_bytes_base64: string
  signature_base64: string
  payload_utf8: string
  upstream_verify: UpstreamVerify
}

export interface MessageSection {
  description: string
  vectors: MessageVector[]
}

export interface HelloSection extends MessageSection {
  legacy_inner_signature: LegacyInnerVector[]
}

export interface CheckpointFinalSection extends MessageSection {
  previous_checkpoint: {
    description: string
    event_id: string
    id_preimage: string
    payload_utf8: string
  }
}

/** The whole file. */
export type PlazaVectors = {
  meta: VectorsMeta
  identity: IdentitySection
  hey_there: HelloSection
  chau: HelloSection
  checkpoint_final: CheckpointFinalSection
} & Record<Exclude<MessageKind, 'hey_there' | 'chau' | 'checkpoint_final'>, MessageSection>
