/**
 * The content string of a final checkpoint (WIRE §4.2): version 0/1
 * `checkpoint:{sid}:{as_of_time}:{start}:{restarts}:{uptime}`, otherwise
 * `checkpoint:v2:{sid}:{as_of_time}:{start}:{restarts}:{uptime}:{previous_checkpoint_id}`, where
 * `sid` is `subject_id`, or `subject` when empty. Note start:restarts:uptime order (attestations
 * use restarts:uptime:start).
 */
import { type CheckpointLike, goInt } from './types.js'

/** Go `CheckpointEventPayload.ContentString`. */
export function checkpointContent(cp: CheckpointLike): string {
  const sid = cp.subject_id || cp.subject || ''
  const o = cp.observation ?? {}
  const head = `${sid}:${goInt(cp.as_of_time)}:${goInt(o.start_time)}:${goInt(o.restarts)}:${goInt(o.total_uptime)}`
  const version = cp.version === undefined ? 0 : Number(cp.version)
  if (version === 0 || version === 1) return `checkpoint:${head}`
  return `checkpoint:v2:${head}:${cp.previous_checkpoint_id ?? ''}`
}
