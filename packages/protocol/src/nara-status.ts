/**
 * NaraStatus (WIRE.md §5): the body of newspapers and of howdy `Me`, with HostStats, Personality,
 * Aura, Vivaldi coordinates and the per-peer NaraObservation.
 */
import type { z } from 'zod'
import {
  bool,
  float,
  int,
  optFloat,
  optInt,
  optStr,
  str,
  uint32,
  wideInt,
  wideUint,
} from './fields.js'
import {
  goJsonFloat,
  goJsonInt,
  goJsonMap,
  goJsonString,
  goJsonUint,
  UINT64_MAX,
} from './go-json.js'
import { goInt, goMap, goOptPtr, goStruct } from './go-schema.js'
import * as D from './tree-decoder.js'

/** A nara's view of another nara. Every field is omitempty; times in seconds, RTTs in ms. */
export const naraObservationSchema = goStruct({
  restarts: optInt(),
  total_uptime: optInt(),
  start_time: optInt(),
  online: optStr(),
  last_seen: optInt(),
  last_restart: optInt(),
  cluster_name: optStr(),
  cluster_emoji: optStr(),
  last_ping_rtt: optFloat(),
  avg_ping_rtt: optFloat(),
  last_ping_time: optInt(),
})
export type NaraObservation = z.output<typeof naraObservationSchema>

/** Go's `uint64` fields are held losslessly (a bigint beyond 2^53, see `GoWideInt`). */
export const hostStatsSchema = goStruct({
  Uptime: wideUint(),
  LoadAvg: float(),
  MemAllocMB: wideUint(),
  MemSysMB: wideUint(),
  MemHeapMB: wideUint(),
  MemStackMB: wideUint(),
  NumGoroutines: int(),
  NumGC: uint32(),
  ProcCPUPercent: float(),
})
export type HostStats = z.output<typeof hostStatsSchema>

export const personalitySchema = goStruct({
  Agreeableness: int(),
  Sociability: int(),
  Chill: int(),
})
export type Personality = z.output<typeof personalitySchema>

export const auraSchema = goStruct({ primary: str(), secondary: str() })
export type Aura = z.output<typeof auraSchema>

/** Vivaldi network coordinates (all float64, no omitempty inside). */
export const coordinatesSchema = goStruct({
  x: float(),
  y: float(),
  height: float(),
  error: float(),
})
export type Coordinates = z.output<typeof coordinatesSchema>

const zeroHostStats = (): HostStats => ({
  Uptime: 0,
  LoadAvg: 0,
  MemAllocMB: 0,
  MemSysMB: 0,
  MemHeapMB: 0,
  MemStackMB: 0,
  NumGoroutines: 0,
  NumGC: 0,
  ProcCPUPercent: 0,
})

export const naraStatusSchema = goStruct({
  LicensePlate: str(),
  Flair: str(),
  HostStats: hostStatsSchema.default(zeroHostStats),
  Chattiness: wideInt(),
  Buzz: wideInt(),
  /** `null` in newspapers (slim status); an object (possibly `{}`) in howdy `Me`. */
  Observations: goMap(naraObservationSchema),
  Trend: str(),
  TrendEmoji: str(),
  Personality: personalitySchema.default(() => ({ Agreeableness: 0, Sociability: 0, Chill: 0 })),
  Aura: auraSchema.default(() => ({ primary: '', secondary: '' })),
  Version: str(),
  PublicUrl: str(),
  PublicKey: str(),
  ID: str(),
  MeshEnabled: bool(),
  MeshIP: str(),
  coordinates: goOptPtr(coordinatesSchema),
  transport_mode: optStr(),
  event_store_total: optInt(),
  event_store_by_service: goMap(goInt)
    .transform((m) => m ?? undefined)
    .optional(),
  event_store_critical: optInt(),
  memory_mode: optStr(),
  memory_budget_mb: optInt(),
  memory_max_events: optInt(),
  stash_stored: optInt(),
  stash_bytes: optInt(),
  stash_confidants: optInt(),
})
export type NaraStatus = z.output<typeof naraStatusSchema>

// ---------------------------------------------------------------------------------------------
// Encoders (hand-written field writers, Go declaration order)

/** Encodes a NaraObservation (every field omitempty; a zero observation is `{}`). */
export function encodeNaraObservation(o: NaraObservation): string {
  let out = ''
  if (o.restarts) out += `,"restarts":${goJsonInt(o.restarts, 'restarts')}`
  if (o.total_uptime) out += `,"total_uptime":${goJsonInt(o.total_uptime, 'total_uptime')}`
  if (o.start_time) out += `,"start_time":${goJsonInt(o.start_time, 'start_time')}`
  if (o.online) out += `,"online":${goJsonString(o.online)}`
  if (o.last_seen) out += `,"last_seen":${goJsonInt(o.last_seen, 'last_seen')}`
  if (o.last_restart) out += `,"last_restart":${goJsonInt(o.last_restart, 'last_restart')}`
  if (o.cluster_name) out += `,"cluster_name":${goJsonString(o.cluster_name)}`
  if (o.cluster_emoji) out += `,"cluster_emoji":${goJsonString(o.cluster_emoji)}`
  if (o.last_ping_rtt) out += `,"last_ping_rtt":${goJsonFloat(o.last_ping_rtt)}`
  if (o.avg_ping_rtt) out += `,"avg_ping_rtt":${goJsonFloat(o.avg_ping_rtt)}`
  if (o.last_ping_time) out += `,"last_ping_time":${goJsonInt(o.last_ping_time, 'last_ping_time')}`
  return out === '' ? '{}' : `{${out.slice(1)}}`
}

function encodeHostStats(h: HostStats): string {
  return (
    `{"Uptime":${goJsonUint(h.Uptime, 'Uptime', UINT64_MAX)}` +
    `,"LoadAvg":${goJsonFloat(h.LoadAvg)}` +
    `,"MemAllocMB":${goJsonUint(h.MemAllocMB, 'MemAllocMB', UINT64_MAX)}` +
    `,"MemSysMB":${goJsonUint(h.MemSysMB, 'MemSysMB', UINT64_MAX)}` +
    `,"MemHeapMB":${goJsonUint(h.MemHeapMB, 'MemHeapMB', UINT64_MAX)}` +
    `,"MemStackMB":${goJsonUint(h.MemStackMB, 'MemStackMB', UINT64_MAX)}` +
    `,"NumGoroutines":${goJsonInt(h.NumGoroutines, 'NumGoroutines')}` +
    `,"NumGC":${goJsonUint(h.NumGC, 'NumGC', 0xffffffff)}` +
    `,"ProcCPUPercent":${goJsonFloat(h.ProcCPUPercent)}}`
  )
}

const writeInt = (v: number, k: string) => goJsonInt(v, k)

/**
 * Encodes a NaraStatus exactly as Go's `json.Marshal` does. For a newspaper, these are the bytes
 * to sign and to embed verbatim with {@link encodeNewspaper}.
 */
export function encodeNaraStatus(s: NaraStatus): string {
  const p = s.Personality
  const a = s.Aura
  let out =
    `{"LicensePlate":${goJsonString(s.LicensePlate)}` +
    `,"Flair":${goJsonString(s.Flair)}` +
    `,"HostStats":${encodeHostStats(s.HostStats)}` +
    `,"Chattiness":${goJsonInt(s.Chattiness, 'Chattiness')}` +
    `,"Buzz":${goJsonInt(s.Buzz, 'Buzz')}` +
    `,"Observations":${goJsonMap(s.Observations, encodeNaraObservation)}` +
    `,"Trend":${goJsonString(s.Trend)}` +
    `,"TrendEmoji":${goJsonString(s.TrendEmoji)}` +
    `,"Personality":{"Agreeableness":${goJsonInt(p.Agreeableness, 'Agreeableness')},"Sociability":${goJsonInt(p.Sociability, 'Sociability')},"Chill":${goJsonInt(p.Chill, 'Chill')}}` +
    `,"Aura":{"primary":${goJsonString(a.primary)},"secondary":${goJsonString(a.secondary)}}` +
    `,"Version":${goJsonString(s.Version)}` +
    `,"PublicUrl":${goJsonString(s.PublicUrl)}` +
    `,"PublicKey":${goJsonString(s.PublicKey)}` +
    `,"ID":${goJsonString(s.ID)}` +
    `,"MeshEnabled":${s.MeshEnabled ? 'true' : 'false'}` +
    `,"MeshIP":${goJsonString(s.MeshIP)}`
  const c = s.coordinates
  if (c) {
    out += `,"coordinates":{"x":${goJsonFloat(c.x)},"y":${goJsonFloat(c.y)},"height":${goJsonFloat(c.height)},"error":${goJsonFloat(c.error)}}`
  }
  if (s.transport_mode) out += `,"transport_mode":${goJsonString(s.transport_mode)}`
  if (s.event_store_total) {
    out += `,"event_store_total":${goJsonInt(s.event_store_total, 'event_store_total')}`
  }
  const bySvc = s.event_store_by_service
  if (bySvc && Object.keys(bySvc).length > 0) {
    out += `,"event_store_by_service":${goJsonMap(bySvc, writeInt)}`
  }
  if (s.event_store_critical) {
    out += `,"event_store_critical":${goJsonInt(s.event_store_critical, 'event_store_critical')}`
  }
  if (s.memory_mode) out += `,"memory_mode":${goJsonString(s.memory_mode)}`
  if (s.memory_budget_mb) {
    out += `,"memory_budget_mb":${goJsonInt(s.memory_budget_mb, 'memory_budget_mb')}`
  }
  if (s.memory_max_events) {
    out += `,"memory_max_events":${goJsonInt(s.memory_max_events, 'memory_max_events')}`
  }
  if (s.stash_stored) out += `,"stash_stored":${goJsonInt(s.stash_stored, 'stash_stored')}`
  if (s.stash_bytes) out += `,"stash_bytes":${goJsonInt(s.stash_bytes, 'stash_bytes')}`
  if (s.stash_confidants) {
    out += `,"stash_confidants":${goJsonInt(s.stash_confidants, 'stash_confidants')}`
  }
  return `${out}}`
}

// ---------------------------------------------------------------------------------------------
// Fast tree decoders (same rules as the schemas above)

export const naraObservationDecoder: D.Dec<NaraObservation> = D.struct<NaraObservation>({
  restarts: D.optInt,
  total_uptime: D.optInt,
  start_time: D.optInt,
  online: D.optStr,
  last_seen: D.optInt,
  last_restart: D.optInt,
  cluster_name: D.optStr,
  cluster_emoji: D.optStr,
  last_ping_rtt: D.optFloat,
  avg_ping_rtt: D.optFloat,
  last_ping_time: D.optInt,
})

const hostStatsDecoder = D.struct<HostStats>({
  Uptime: D.wideUint,
  LoadAvg: D.float,
  MemAllocMB: D.wideUint,
  MemSysMB: D.wideUint,
  MemHeapMB: D.wideUint,
  MemStackMB: D.wideUint,
  NumGoroutines: D.int,
  NumGC: D.uint32,
  ProcCPUPercent: D.float,
})

/** Decodes a NaraStatus; `ifAbsent: 'required'` because a status is never optional. */
export const naraStatusDecoder: D.Dec<NaraStatus> = D.struct<NaraStatus>(
  {
    LicensePlate: D.str,
    Flair: D.str,
    HostStats: hostStatsDecoder,
    Chattiness: D.wideInt,
    Buzz: D.wideInt,
    Observations: D.map(naraObservationDecoder),
    Trend: D.str,
    TrendEmoji: D.str,
    Personality: D.struct<Personality>({ Agreeableness: D.int, Sociability: D.int, Chill: D.int }),
    Aura: D.struct<Aura>({ primary: D.str, secondary: D.str }),
    Version: D.str,
    PublicUrl: D.str,
    PublicKey: D.str,
    ID: D.str,
    MeshEnabled: D.bool,
    MeshIP: D.str,
    coordinates: D.optPtr(
      D.struct<Coordinates>({ x: D.float, y: D.float, height: D.float, error: D.float }),
    ),
    transport_mode: D.optStr,
    event_store_total: D.optInt,
    event_store_by_service: D.optMap(D.int),
    event_store_critical: D.optInt,
    memory_mode: D.optStr,
    memory_budget_mb: D.optInt,
    memory_max_events: D.optInt,
    stash_stored: D.optInt,
    stash_bytes: D.optInt,
    stash_confidants: D.optInt,
  },
  'required',
)
