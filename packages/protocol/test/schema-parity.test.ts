import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { checkpointProposalDecoder, checkpointVoteDecoder } from '../src/checkpoint.js'
import { howdyEventDecoder } from '../src/howdy.js'
import { newspaperEnvelopeDecoder } from '../src/newspaper.js'
import { syncEventDecoder } from '../src/sync-event-decoder.js'
import { type Dec, runDecoder } from '../src/tree-decoder.js'
import {
  checkpointProposalSchema,
  checkpointVoteSchema,
  howdyEventSchema,
  newspaperEnvelopeSchema,
  parseJson,
  syncEventSchema,
} from './helpers/public-api.js'
import { loadVectors } from './vectors.js'

/** The zod schemas are the reference; the hand-rolled tree decoders must agree with them. */
const PAIRS: Record<string, [z.ZodType, Dec<unknown>]> = {
  hey_there: [syncEventSchema, syncEventDecoder],
  chau: [syncEventSchema, syncEventDecoder],
  social: [syncEventSchema, syncEventDecoder],
  ping: [syncEventSchema, syncEventDecoder],
  observation: [syncEventSchema, syncEventDecoder],
  seen: [syncEventSchema, syncEventDecoder],
  checkpoint_final: [syncEventSchema, syncEventDecoder],
  howdy: [howdyEventSchema, howdyEventDecoder],
  newspaper: [newspaperEnvelopeSchema, newspaperEnvelopeDecoder],
  checkpoint_proposal: [checkpointProposalSchema, checkpointProposalDecoder],
  checkpoint_vote: [checkpointVoteSchema, checkpointVoteDecoder],
}

const MUTATIONS: [RegExp, string][] = [
  [/:(\d{2,})([,}])/, ':$1.5$2'], // fraction in the first integer
  [/:(\d{2,})([,}])/, ':1e3$2'], // exponent
  [/:(\d{2,})([,}])/, ':-$1$2'], // sign
  [/:(\d{2,})([,}])/, ':99999999999999999999$2'], // beyond int64
  [/:(\d{2,})([,}])/, ':9007199254740993$2'], // beyond 2^53
  [/:"[^"]*"/, ':null'], // null string
  [/:"[^"]*"/, ':7'], // wrong type
  [/"([A-Za-z])([A-Za-z_]*)":/, (m: string) => m.toLowerCase()] as unknown as [RegExp, string],
  [/"([a-z_]+)":/, (m: string) => m.toUpperCase()] as unknown as [RegExp, string],
  [/:\{/, ':null,"z":{'],
  [/:\[/, ':null,"z":['],
  [/:(true|false)/, ':"yes"'],
  [/"Observations":null/, '"Observations":{"x":{"restarts":1.5}}'],
  [/"Neighbors":\[/, '"Neighbors":{"a":['],
]

describe('zod schemas and fast decoders agree', () => {
  const vectors = loadVectors()
  let compared = 0
  it('on every vector and on mutated variants', () => {
    for (const v of vectors) {
      const pair = PAIRS[v.kind]
      if (!pair) continue
      const [schema, dec] = pair
      const texts = [v.payload_utf8]
      for (const [re, rep] of MUTATIONS) {
        // biome-ignore lint/suspicious/noExplicitAny: String#replace overloads
        const t = v.payload_utf8.replace(re, rep as any)
        if (t !== v.payload_utf8) texts.push(t)
      }
      for (const text of texts) {
        const parsed = parseJson(text)
        if (!parsed.ok) continue
        const a = schema.safeParse(parsed.value)
        const b = runDecoder(dec, parsed.value)
        // Svc/payload mismatch: both must refuse.
        expect({ text, ok: b.ok }).toEqual({ text, ok: a.success })
        if (a.success && b.ok) expect(b.value).toEqual(a.data)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(500)
  })
})
