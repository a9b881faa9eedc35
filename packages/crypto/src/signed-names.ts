/**
 * Names inside signed strings. Every signed content string joins its fields with `:`
 * (`howdy:{From}:{To}:{Seq}`, `{type}:{actor}:{target}:{reason}:{witness}`, `id:ts:svc:emitter:…`),
 * so a `:` inside a name would let one signature verify under another split of the same text: a's
 * howdy to `b:c` signs `howdy:a:b:c:{Seq}`, which also reads as From `a:b`, To `c`. Names (and
 * NaraIDs, base58) never contain `:`, so a message that puts one in such a field is malformed.
 */
import { reject, type Verdict } from './verdict.js'

/** True when `name` may stand in a signed string (it contains no `:`). */
export function isSplitSafe(name: string): boolean {
  return !name.includes(':')
}

/**
 * A `malformed` verdict naming the first field whose value contains `:`, else `null`. `fields`
 * maps a field label (`From`, `social.actor`...) to its value (absent values are fine).
 */
export function colonInNames(
  fields: Readonly<Record<string, string | undefined>>,
  from?: string,
): Verdict | null {
  for (const field in fields) {
    const value = fields[field]
    if (value !== undefined && !isSplitSafe(value)) {
      return reject('malformed', `${field} contains ":" (a name never does)`, from)
    }
  }
  return null
}
