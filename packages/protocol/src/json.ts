/**
 * @packageDocumentation
 *
 * `@nara/protocol/json`: the strict lossless JSON parser under `decodeMessage` (duplicate keys,
 * depth and trailing data refused; numbers kept as their text), the Go `encoding/json` output
 * primitives every encoder is built from, and strict standard base64.
 *
 * @example
 * ```ts
 * import { goJsonString, parseJson } from '@nara/protocol/json'
 *
 * const r = parseJson('{"ts":1768774453123456789}')
 * console.log(r.ok, goJsonString('<tag>'))
 * ```
 */

export { decodeStdBase64, encodeStdBase64 } from './base64.js'
export {
  compareUtf8,
  goJsonFloat,
  goJsonInt,
  goJsonInt64,
  goJsonMap,
  goJsonSlice,
  goJsonString,
  goJsonUint,
  utf8Length,
} from './go-json.js'
export {
  DEFAULT_MAX_DEPTH,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  type ParseJsonOptions,
  type ParseJsonResult,
  parseJson,
} from './lossless.js'
