/**
 * The lossless JSON tree: numbers kept as their literal text ({@link JsonNumber}), objects as
 * key/value arrays ({@link JsonObject}), and the two small helpers every parser here shares.
 */

/** A JSON number literal kept verbatim (e.g. `1768774453123456789`, `1.5`, `-2.5e-7`). */
export class JsonNumber {
  constructor(readonly raw: string) {}
  /** True when the literal has no fraction and no exponent (Go accepts it for an int field). */
  get isInteger(): boolean {
    const r = this.raw
    for (let i = 0; i < r.length; i++) {
      const c = r.charCodeAt(i)
      if (c === 0x2e || c === 0x65 || c === 0x45) return false
    }
    return true
  }
}

/** The lossless tree: numbers as {@link JsonNumber}, objects as {@link JsonObject}. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject

/**
 * A JSON object as parallel key/value arrays in document order (keys are unique: the parser
 * refuses duplicates). Cheap to build, and no key (not even `__proto__`) can touch a prototype.
 */
export class JsonObject {
  constructor(
    readonly keys: string[],
    readonly values: JsonValue[],
  ) {}
  /** The member named exactly `key`, or `undefined`. */
  get(key: string): JsonValue | undefined {
    const i = this.keys.indexOf(key)
    return i < 0 ? undefined : this.values[i]
  }
}

/**
 * A copy of `s` that does not share the parsed text. V8 returns a slice of 13+ characters as a
 * view into its parent, so a short name or key kept in a long-lived set (dedupe keys, howdy
 * rounds, the neighbourhood) would otherwise keep the whole payload alive: one 30 KB howdy per
 * remembered name. Shorter slices are copies already.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1)
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}
