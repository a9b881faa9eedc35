/**
 * What the plaza refused: drops counted by reason per minute (the last `minutes`), the latest
 * dropped messages (topic, reason, claimed sender), and key conflicts. Everything is bounded.
 */
import type { DropEvent, KeyConflictEvent } from '@nara/plaza'
import { keyFingerprint } from './key-fingerprint.js'
import type { ConflictItem, DropItem, DropMinute, RefusedView } from './view-types.js'

export interface RefusedLogOptions {
  /** Minutes of per-reason history. */
  minutes: number
  /** Latest drops and conflicts kept. */
  recent: number
}

export interface RefusedLog {
  drop(d: DropEvent, atMs: number): DropItem
  conflict(c: KeyConflictEvent, atMs: number): ConflictItem
  view(nowMs: number): RefusedView
}

const MINUTE_MS = 60_000

/** Appends to a list kept at `max` items (oldest first out). */
export function pushBounded<T>(list: T[], item: T, max: number): number {
  list.push(item)
  const over = list.length - max
  if (over > 0) list.splice(0, over)
  return Math.max(0, over)
}

export function createRefusedLog(o: RefusedLogOptions): RefusedLog {
  const totals: Record<string, number> = {}
  const minutes: DropMinute[] = []
  const recent: DropItem[] = []
  const conflicts: ConflictItem[] = []

  const bucket = (atMs: number): DropMinute => {
    const minuteMs = Math.floor(atMs / MINUTE_MS) * MINUTE_MS
    const last = minutes.at(-1)
    if (last && last.minuteMs === minuteMs) return last
    const fresh: DropMinute = { minuteMs, byReason: {} }
    pushBounded(minutes, fresh, o.minutes)
    return fresh
  }

  return {
    drop(d, atMs) {
      totals[d.reason] = (totals[d.reason] ?? 0) + 1
      const b = bucket(atMs)
      b.byReason[d.reason] = (b.byReason[d.reason] ?? 0) + 1
      const item: DropItem = {
        atMs,
        topic: d.topic,
        reason: d.reason,
        kind: d.kind ?? null,
        claimedSender: d.claimedSender ?? null,
        detail: d.detail ?? null,
      }
      pushBounded(recent, item, o.recent)
      return item
    },
    conflict(c, atMs) {
      const item: ConflictItem = {
        atMs,
        topic: c.topic,
        kind: c.kind,
        label: c.label,
        name: c.name ?? c.weakPin?.name ?? null,
        pinnedFingerprint: keyFingerprint(c.pinnedKey),
        offeredFingerprint: keyFingerprint(c.offeredKey),
      }
      pushBounded(conflicts, item, o.recent)
      return item
    },
    view(nowMs) {
      const since = nowMs - o.minutes * MINUTE_MS
      return {
        totals: { ...totals },
        perMinute: minutes
          .filter((m) => m.minuteMs > since)
          .map((m) => ({ ...m, byReason: { ...m.byReason } })),
        recent: [...recent],
        conflicts: [...conflicts],
      }
    },
  }
}
