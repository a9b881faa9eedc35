/**
 * The latest checkpoint of each subject (the `last_seen_checkpoint_id` of later votes and of our
 * own proposals). It only moves forward in the signed `as_of_time`: a final's outer `ts` and
 * `id` are unsigned, so a genuine final replayed later (with a new `ts`, hence a new id) or an
 * older one must never replace a newer one. Bounded: past `maxSubjects` the subject recorded
 * longest ago is forgotten.
 */

export interface LatestCheckpoints {
  /** The latest checkpoint id of `subject`. */
  get(subject: string): string | undefined
  /**
   * Records `id` for `subject` if `asOfTime` (s) is strictly newer than the one held; returns
   * whether it did.
   */
  advance(subject: string, id: string, asOfTime: number): boolean
  /** Subject -> id. */
  toRecord(): Record<string, string>
}

export function createLatestCheckpoints(maxSubjects = 10_000): LatestCheckpoints {
  const latest = new Map<string, { id: string; asOfTime: number }>()
  return {
    get: (subject) => latest.get(subject)?.id,
    advance(subject, id, asOfTime) {
      const held = latest.get(subject)
      if (held !== undefined && asOfTime <= held.asOfTime) return false
      latest.delete(subject)
      latest.set(subject, { id, asOfTime })
      if (latest.size > maxSubjects) latest.delete(latest.keys().next().value as string)
      return true
    },
    toRecord: () => Object.fromEntries([...latest].map(([s, v]) => [s, v.id])),
  }
}
