/**
 * What the decode fast-path differential tests share: a canonical text of a decoded value, and
 * random edits of a valid text.
 */

/** Keys in order and every value (bigints, -0, null prototypes): equal shapes, equal strings. */
export function shape(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`
  if (Object.is(v, -0)) return '-0'
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`
  const o = v as Record<string, unknown>
  const proto = Object.getPrototypeOf(o) === null ? 'null:' : ''
  return `${proto}{${Object.keys(o)
    .map((k) => `${JSON.stringify(k)}:${shape(o[k])}`)
    .join(',')}}`
}

/** One to three random edits of `base`: an inserted snippet, a deletion, a flipped bit, a cut. */
export function mutate(base: string, rand: () => number, snippets: readonly string[]): string {
  let t = base
  const edits = 1 + Math.floor(rand() * 3)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (t.length + 1))
    const r = rand()
    if (r < 0.4) {
      const s = snippets[Math.floor(rand() * snippets.length)] as string
      t = t.slice(0, at) + s + t.slice(at)
    } else if (r < 0.7) {
      t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 4))
    } else if (r < 0.85) {
      // Swap a char for a neighbour of it (case changes in keys, digit changes...).
      const c = t.charCodeAt(at)
      if (!Number.isNaN(c)) {
        const d = c ^ (rand() < 0.5 ? 0x20 : 1 << Math.floor(rand() * 3))
        t = t.slice(0, at) + String.fromCharCode(d) + t.slice(at + 1)
      }
    } else {
      t = t.slice(0, at)
    }
  }
  return t
}
