/** `stash_refresh` (WIRE §6.9): a dead topic; Go ignores every message and so does the decoder. */
import { unsignedKind } from './unsigned-kind.js'

export const stashRefreshKind = unsignedKind({
  name: 'stash_refresh',
  senderField: 'none',
  sender: () => '',
  summary: () => 'stash refresh (ignored)',
})
