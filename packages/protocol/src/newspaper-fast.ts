/**
 * A fast path for newspapers (`{"From","Status","Signature"}`) as Go and this package encode
 * them: the envelope and its ~1 KB `Status` read in one pass (`fast-struct.ts`), with the span of
 * the `Status` value for its raw signed bytes.
 *
 * A recogniser of a strict subset: it answers only where the reference path (`parseJson` +
 * `newspaperEnvelopeDecoder`) accepts and builds exactly the same envelope; for anything else it
 * returns `undefined` and the caller runs the reference path, which gives the verdict.
 */
import { Cursor, skipWs } from './fast-cursor.js'
import {
  FAIL,
  type FieldKind,
  type FieldSpec,
  readStruct,
  type StructBuild,
  structSpec,
} from './fast-struct.js'
import type { NaraStatus } from './nara-status.js'
import type { NewspaperEnvelope } from './newspaper.js'

const f = (key: string, kind: FieldKind): FieldSpec => ({ key, kind })
/** A struct field; `build` names every field in a literal (fast, unlike keyed stores). */
const nested = (
  key: string,
  kind: FieldKind,
  fields: FieldSpec[],
  build?: StructBuild,
): FieldSpec => ({ key, kind, spec: structSpec(fields, build) })

/** `naraObservationDecoder` (nara-status.ts): every field omitempty. */
const OBSERVATION = nested('', 'struct', [
  f('restarts', 'optInt'),
  f('total_uptime', 'optInt'),
  f('start_time', 'optInt'),
  f('online', 'optStr'),
  f('last_seen', 'optInt'),
  f('last_restart', 'optInt'),
  f('cluster_name', 'optStr'),
  f('cluster_emoji', 'optStr'),
  f('last_ping_rtt', 'optFloat'),
  f('avg_ping_rtt', 'optFloat'),
  f('last_ping_time', 'optInt'),
])

/** The status of its values in `STATUS` order: a literal (28 keyed stores would make a dictionary). */
function buildStatus(v: readonly unknown[]): Record<string, unknown> {
  const s = {
    LicensePlate: v[0],
    Flair: v[1],
    HostStats: v[2],
    Chattiness: v[3],
    Buzz: v[4],
    Observations: v[5],
    Trend: v[6],
    TrendEmoji: v[7],
    Personality: v[8],
    Aura: v[9],
    Version: v[10],
    PublicUrl: v[11],
    PublicKey: v[12],
    ID: v[13],
    MeshEnabled: v[14],
    MeshIP: v[15],
  } as Omitempty
  // The omitempty fields, only when present (named stores keep the object fast).
  if (v[16] !== undefined) s.coordinates = v[16]
  if (v[17] !== undefined) s.transport_mode = v[17]
  if (v[18] !== undefined) s.event_store_total = v[18]
  if (v[19] !== undefined) s.event_store_by_service = v[19]
  if (v[20] !== undefined) s.event_store_critical = v[20]
  if (v[21] !== undefined) s.memory_mode = v[21]
  if (v[22] !== undefined) s.memory_budget_mb = v[22]
  if (v[23] !== undefined) s.memory_max_events = v[23]
  if (v[24] !== undefined) s.stash_stored = v[24]
  if (v[25] !== undefined) s.stash_bytes = v[25]
  if (v[26] !== undefined) s.stash_confidants = v[26]
  return s
}

type Omitempty = Record<string, unknown> & { [K in keyof NaraStatus]?: unknown }

/** `naraStatusDecoder` (nara-status.ts), field for field, in its order. */
const STATUS = structSpec(
  [
    f('LicensePlate', 'str'),
    f('Flair', 'str'),
    nested(
      'HostStats',
      'struct',
      [
        f('Uptime', 'wideUint'),
        f('LoadAvg', 'float'),
        f('MemAllocMB', 'wideUint'),
        f('MemSysMB', 'wideUint'),
        f('MemHeapMB', 'wideUint'),
        f('MemStackMB', 'wideUint'),
        f('NumGoroutines', 'int'),
        f('NumGC', 'uint32'),
        f('ProcCPUPercent', 'float'),
      ],
      (v) => ({
        Uptime: v[0],
        LoadAvg: v[1],
        MemAllocMB: v[2],
        MemSysMB: v[3],
        MemHeapMB: v[4],
        MemStackMB: v[5],
        NumGoroutines: v[6],
        NumGC: v[7],
        ProcCPUPercent: v[8],
      }),
    ),
    f('Chattiness', 'int'),
    f('Buzz', 'int'),
    { key: 'Observations', kind: 'map', item: OBSERVATION },
    f('Trend', 'str'),
    f('TrendEmoji', 'str'),
    nested(
      'Personality',
      'struct',
      [f('Agreeableness', 'int'), f('Sociability', 'int'), f('Chill', 'int')],
      (v) => ({ Agreeableness: v[0], Sociability: v[1], Chill: v[2] }),
    ),
    nested('Aura', 'struct', [f('primary', 'str'), f('secondary', 'str')], (v) => ({
      primary: v[0],
      secondary: v[1],
    })),
    f('Version', 'str'),
    f('PublicUrl', 'str'),
    f('PublicKey', 'str'),
    f('ID', 'str'),
    f('MeshEnabled', 'bool'),
    f('MeshIP', 'str'),
    nested(
      'coordinates',
      'optPtr',
      [f('x', 'float'), f('y', 'float'), f('height', 'float'), f('error', 'float')],
      (v) => ({ x: v[0], y: v[1], height: v[2], error: v[3] }),
    ),
    f('transport_mode', 'optStr'),
    f('event_store_total', 'optInt'),
    { key: 'event_store_by_service', kind: 'optMap', item: f('', 'int') },
    f('event_store_critical', 'optInt'),
    f('memory_mode', 'optStr'),
    f('memory_budget_mb', 'optInt'),
    f('memory_max_events', 'optInt'),
    f('stash_stored', 'optInt'),
    f('stash_bytes', 'optInt'),
    f('stash_confidants', 'optInt'),
  ],
  buildStatus,
)

/** A newspaper read by the fast path: the envelope, and `[start, end)` of `Status` in the bytes. */
export interface FastNewspaper {
  readonly envelope: NewspaperEnvelope
  readonly statusStart: number
  readonly statusEnd: number
}

/**
 * The newspaper of `bytes` (valid UTF-8) when it is a plain one (see the header), or
 * `undefined`: then the reference path must decide. The cursor reads the bytes as latin1 (one
 * character per byte: no UTF-8 decoding of the whole paper, and positions are byte positions);
 * only the strings that hold non-ASCII bytes are decoded as UTF-8.
 */
export function fastNewspaper(bytes: Buffer): FastNewspaper | undefined {
  const text = bytes.toString('latin1')
  const c = new Cursor(text, bytes)
  c.pos = skipWs(text, 0)
  if (c.open() !== true) return undefined
  let from: string | undefined
  let signature: string | undefined
  let status: NewspaperEnvelope['Status'] | undefined
  let statusStart = 0
  let statusEnd = 0
  for (;;) {
    const k = c.key()
    if (k === 'From' && from === undefined) from = c.str()
    else if (k === 'Signature' && signature === undefined) signature = c.str()
    else if (k === 'Status' && status === undefined) {
      statusStart = c.pos
      const s = readStruct(c, STATUS)
      if (s === FAIL) return undefined
      status = s as NewspaperEnvelope['Status']
      statusEnd = c.pos
    } else return undefined
    // A string that is not plain (`c.str()` gave up) leaves the key's value undecided.
    if ((k === 'From' && from === undefined) || (k === 'Signature' && signature === undefined)) {
      return undefined
    }
    const n = c.next()
    if (n === undefined) return undefined
    if (!n) break
  }
  if (status === undefined || skipWs(text, c.pos) !== text.length) return undefined
  const envelope = { From: from ?? '', Status: status, Signature: signature ?? '' }
  return { envelope, statusStart, statusEnd }
}
