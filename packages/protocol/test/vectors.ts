import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (packages/protocol/test -> repo). `shared/` sits beside it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const vectorsPath = path.resolve(repoRoot, '..', 'shared', 'vectors', 'plaza-vectors.json')

export interface MessageVector {
  kind: string
  name: string
  expect: 'accept' | 'reject'
  derived_from?: string
  inputs?: unknown
  payload_utf8: string
  payload_base64: string
  transport: { topic: string | null; qos: number; retained: boolean } | null
  signing: { signed_bytes_utf8?: string } | null
}

/** Every message vector of the file, read as-is. */
export function loadVectors(): MessageVector[] {
  const file = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Record<
    string,
    { vectors?: Omit<MessageVector, 'kind'>[] }
  >
  const out: MessageVector[] = []
  for (const [kind, section] of Object.entries(file)) {
    if (kind === 'meta' || kind === 'identity' || !Array.isArray(section.vectors)) continue
    for (const v of section.vectors) out.push({ kind, ...v })
  }
  return out
}

export function bytesOf(v: MessageVector): Uint8Array {
  return new Uint8Array(Buffer.from(v.payload_base64, 'base64'))
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
