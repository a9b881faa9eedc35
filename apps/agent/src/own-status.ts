/**
 * This nara's own NaraStatus (WIRE.md §5), built in Go field order. Newspapers send it slim
 * (`Observations: null`, as Go does); howdy `Me` sends the full map, always an object.
 */
import { cpus, loadavg, uptime } from 'node:os'
import type { NaraObservation, NaraStatus } from '@nara/protocol'
import { TS_VERSION } from './presence-keeper.js'

export interface OwnStatusInputs {
  publicKey: string
  naraId: string
  flair: string
  personality: { Agreeableness: number; Sociability: number; Chill: number }
  aura: { primary: string; secondary: string }
  chattiness: number
  buzz: number
  /** null for newspapers; an object (possibly empty) for howdys. */
  observations: Record<string, NaraObservation> | null
  /** CPU percent of this process since the last sample. */
  procCpuPercent: number
}

const trunc2 = (x: number) => Math.trunc(x * 100) / 100
const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024))

export function buildOwnStatus(i: OwnStatusInputs): NaraStatus {
  const mem = process.memoryUsage()
  return {
    LicensePlate: '',
    Flair: i.flair,
    HostStats: {
      Uptime: Math.floor(uptime()),
      LoadAvg: trunc2((loadavg()[0] ?? 0) / Math.max(1, cpus().length)),
      MemAllocMB: mb(mem.heapUsed),
      MemSysMB: mb(mem.rss),
      MemHeapMB: mb(mem.heapTotal),
      MemStackMB: 0,
      NumGoroutines: 0,
      NumGC: 0,
      ProcCPUPercent: trunc2(i.procCpuPercent),
    },
    Chattiness: i.chattiness,
    Buzz: i.buzz,
    Observations: i.observations,
    Trend: '',
    TrendEmoji: '',
    Personality: i.personality,
    Aura: i.aura,
    Version: TS_VERSION,
    PublicUrl: '',
    PublicKey: i.publicKey,
    ID: i.naraId,
    MeshEnabled: false,
    MeshIP: '',
    transport_mode: 'mqtt',
  } as NaraStatus
}

/** A stable pair of colours derived from the name (uppercase `#RRGGBB`). */
export function auraFromName(name: string): { primary: string; secondary: string } {
  let h = 2166136261
  for (const ch of name) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0
  const hex = (n: number) => `#${(n & 0xffffff).toString(16).padStart(6, '0').toUpperCase()}`
  return { primary: hex(h), secondary: hex(Math.imul(h, 2654435761) >>> 8) }
}

/** CPU percent of this process between calls. */
export function cpuSampler(nowMs: () => number): () => number {
  let last = process.cpuUsage()
  let lastAt = nowMs()
  return () => {
    const cur = process.cpuUsage()
    const at = nowMs()
    const usedUs = cur.user - last.user + (cur.system - last.system)
    const pct = at > lastAt ? (usedUs / 1000 / (at - lastAt)) * 100 : 0
    last = cur
    lastAt = at
    return pct
  }
}
