/**
 * Field shorthands for the message schemas: each says how a Go struct field decodes
 * (zero value when absent, `?` = `omitempty` in Go, kept optional here).
 */

import type { z } from 'zod'
import {
  goBool,
  goFloat,
  goInt,
  goInt64Big,
  goOptSlice,
  goSlice,
  goString,
  goUint,
  goUint32,
  goWideInt,
  goWideUint,
} from './go-schema.js'

export const str = () => goString.default('')
export const optStr = () => goString.optional()
export const int = () => goInt.default(0)
export const optInt = () => goInt.optional()
export const uint = () => goUint.default(0)
export const optUint = () => goUint.optional()
export const uint32 = () => goUint32.default(0)
export const wideInt = () => goWideInt.default(0)
export const wideUint = () => goWideUint.default(0)
export const float = () => goFloat.default(0)
export const optFloat = () => goFloat.optional()
export const bool = () => goBool.default(false)
export const optBool = () => goBool.optional()
export const int64Big = () => goInt64Big.default(0n)
export const strSlice = () => goSlice(goString)
export const optStrSlice = () => goOptSlice(goString)
export type Shape = z.ZodRawShape
