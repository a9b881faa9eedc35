/** Small formatting helpers for the page. Everything returns text, never markup. */

/** "4 s", "3 min", "2 h" (never negative). */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 90) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 90) return `${m} min`
  return `${Math.round(m / 60)} h`
}

export function ago(atMs: number | null, nowMs: number): string {
  return atMs === null ? '—' : `${age(nowMs - atMs)} ago`
}

export function clock(atMs: number): string {
  return new Date(atMs).toLocaleTimeString([], { hour12: false })
}

/** A colour from the plaza, usable in CSS only when it is a plain `#rgb`/`#rrggbb` value. */
export function safeColor(value: string): string | undefined {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : undefined
}

/** A stable colour per label (drop reasons, event kinds). */
export function labelColor(label: string): string {
  let h = 0
  for (const ch of label) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0
  return `hsl(${h % 360} 65% 50%)`
}

export function naraHref(name: string): string {
  return `#/nara/${encodeURIComponent(name)}`
}
