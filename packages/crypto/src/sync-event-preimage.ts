/**
 * The receive path's SyncEvent hashes (WIRE §4) without building their preimage strings: both
 * preimages are written as UTF-8 into one scratch buffer (reused: hashing is synchronous), the
 * recomputed event ID is compared with the received `id` from its digest bytes (no hex string),
 * and only the signing digest, the Ed25519 message, is a new array. Same bytes as `hashesOf`,
 * which still serves a preimage too long for the scratch buffer.
 */
import type { Sha256Backend } from './backends/hash.js'
import { hashesOf } from './sync-event-hash.js'
import { formatGoInt, type SyncEventLike } from './types.js'

/** Receives the fields of a content string, in order; it joins them with `:`. */
export interface ContentSink {
  field(value: string | undefined): void
}

/** Writes the content fields of payload `p` (the one definition of a kind's content). */
export type ContentWriter<P> = (p: P, out: ContentSink) => void

/** Joins the fields `write` gives with `:` (Go's `ContentString`). */
class JoinedFields implements ContentSink {
  text = ''
  #count = 0
  field(value: string | undefined): void {
    this.text = this.#count++ === 0 ? (value ?? '') : `${this.text}:${value ?? ''}`
  }
}

/** The content string of `p`, whose fields `write` gives, joined with `:`. */
export function joinFields<P>(write: ContentWriter<P>, p: P): string {
  const out = new JoinedFields()
  write(p, out)
  return out.text
}

/** Bytes per preimage region of the scratch buffer. */
const REGION = 1024
const COLON = 0x3a
const HEX = '0123456789abcdef'
const encoder = new TextEncoder()

/** The scratch buffer: the signing preimage at 0, the ID preimage at `REGION`. */
class Scratch implements ContentSink {
  readonly bytes = new Uint8Array(2 * REGION)
  /** `bytes.subarray(at, at + n)` by `at + n`, made once per length. */
  readonly #views: Uint8Array[] = []
  pos = 0
  fields = 0
  overflow = false

  view(at: number, n: number): Uint8Array {
    let v = this.#views[at + n]
    if (v === undefined) {
      v = this.bytes.subarray(at, at + n)
      this.#views[at + n] = v
    }
    return v
  }

  /** Appends the UTF-8 bytes of `s` (ASCII here, the rest through the encoder). */
  put(s: string): void {
    const b = this.bytes
    const n = s.length
    let o = this.pos
    if (o + n > REGION) {
      this.overflow = true
      return
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) {
        this.pos = o
        this.#putUtf8(s.slice(i))
        return
      }
      b[o++] = c
    }
    this.pos = o
  }

  #putUtf8(s: string): void {
    if (this.pos + 3 * s.length > REGION) {
      this.overflow = true
      return
    }
    this.pos += encoder.encodeInto(s, this.bytes.subarray(this.pos, REGION)).written
  }

  colon(): void {
    if (this.pos < REGION) this.bytes[this.pos++] = COLON
    else this.overflow = true
  }

  field(value: string | undefined): void {
    if (this.fields++ > 0) this.colon()
    this.put(value ?? '')
  }
}

const scratch = new Scratch()

/** Whether `id` is the lowercase hex of the first 16 bytes `at` gives. */
function idIsHexOf(id: string | undefined, digest: string | Uint8Array): boolean {
  if (typeof id !== 'string' || id.length !== 32) return false
  const text = typeof digest === 'string'
  for (let i = 0; i < 16; i++) {
    const b = text ? digest.charCodeAt(i) : (digest[i] as number)
    if (id.charCodeAt(2 * i) !== HEX.charCodeAt(b >> 4)) return false
    if (id.charCodeAt(2 * i + 1) !== HEX.charCodeAt(b & 15)) return false
  }
  return true
}

/**
 * The signing digest of `ev` when its `id` is the recomputed event ID, else `null`. The content
 * is `write`'s fields when given, else the string `content(p)`.
 */
export function checkedDigest<P>(
  ev: SyncEventLike,
  p: P,
  content: (p: P) => string,
  write: ContentWriter<P> | undefined,
  hash: Sha256Backend,
): Uint8Array | null {
  const s = scratch
  s.pos = 0
  s.fields = 0
  s.overflow = false
  s.put(ev.id ?? '')
  s.colon()
  const tsSvcAt = s.pos
  s.put(formatGoInt(ev.ts))
  s.colon()
  s.put(ev.svc)
  s.colon()
  const tsSvcEnd = s.pos
  s.put(ev.emitter ?? '')
  s.colon()
  const contentAt = s.pos
  if (write === undefined) s.put(content(p))
  else write(p, s)
  if (s.overflow) {
    const hashes = hashesOf(ev, content(p), hash)
    return ev.id === hashes.id ? hashes.digest : null
  }
  const end = s.pos
  // The ID preimage `ts:svc:content`, copied from the signing one.
  const b = s.bytes
  b.copyWithin(REGION, tsSvcAt, tsSvcEnd)
  b.copyWithin(REGION + tsSvcEnd - tsSvcAt, contentAt, end)
  const idPreimage = s.view(REGION, tsSvcEnd - tsSvcAt + end - contentAt)
  const idDigest = hash.digestLatin1?.(idPreimage) ?? hash.digest(idPreimage)
  if (!idIsHexOf(ev.id, idDigest)) return null
  const signing = s.view(0, end)
  const latin1 = hash.digestLatin1?.(signing)
  return latin1 === undefined ? hash.digest(signing) : digestOf(latin1)
}

/** Bytes per block the digests are cut from. */
const BLOCK = 4096
let block = new ArrayBuffer(BLOCK)
let blockAt = 0

/**
 * The 32 digest bytes of a `latin1` digest string, in a view of a shared 4 KiB block: one small
 * object per digest instead of an array with a buffer of its own (the digest is the verify
 * message: it lives until the check ran).
 */
function digestOf(latin1: string): Uint8Array {
  if (blockAt + 32 > BLOCK) {
    block = new ArrayBuffer(BLOCK)
    blockAt = 0
  }
  const out = new Uint8Array(block, blockAt, 32)
  blockAt += 32
  for (let i = 0; i < 32; i++) out[i] = latin1.charCodeAt(i)
  return out
}
