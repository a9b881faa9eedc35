/**
 * Hardware fingerprints and native souls (WIRE §3.2). A fingerprint is
 * `sha256(utf8(fragments))`; upstream's fragments are `hostID + "-" + sortedMacs` where the MACs
 * are those of non-loopback `en*`/`eth*`/`wlan*` interfaces. Native souls derive their seed with
 * HKDF-SHA256 (salt `nara:soul:v2`) from the fingerprint. This module reads nothing from the
 * machine: callers pass the host ID and interfaces in.
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8 } from './bytes.js'
import { generateName } from './names.js'
import { type Soul, soulForName } from './soul.js'

/** One network interface, shaped like an entry of `os.networkInterfaces()`. */
export interface InterfaceInfo {
  /** MAC address, e.g. `aa:bb:cc:dd:ee:01` (`00:00:00:00:00:00` counts as none). */
  readonly mac: string
  /** Whether the interface is internal (loopback). */
  readonly internal: boolean
}

/**
 * Upstream's `CollectSoulFragments`: sorted, de-duplicated-per-interface MACs of physical-ish
 * interfaces (`en*`, `eth*`, `wlan*`, not loopback), joined with `,`. Pass
 * `os.networkInterfaces()`.
 */
export function macFragments(
  interfaces: Readonly<Record<string, readonly InterfaceInfo[] | undefined>>,
): string {
  const macs: string[] = []
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (!/^(en|eth|wlan)/.test(name) || addresses === undefined) continue
    // Go lists each interface once; Node lists one entry per address, all sharing the MAC.
    const first = addresses.find(
      (a) => !a.internal && a.mac !== '' && a.mac !== '00:00:00:00:00:00',
    )
    if (first !== undefined) macs.push(first.mac.toLowerCase())
  }
  return macs.sort().join(',')
}

/** `sha256(utf8(fragments))` (Go `HashHardware`). */
export function hashHardware(fragments: string): Uint8Array {
  return sha256(utf8(fragments))
}

/** The fingerprint upstream computes: `sha256(hostId + "-" + macs)`. */
export function hardwareFingerprint(hostId: string, macs: string): Uint8Array {
  return hashHardware(`${hostId}-${macs}`)
}

function hkdfSeed(fingerprint: Uint8Array, info: string): Uint8Array {
  return hkdf(sha256, fingerprint, utf8('nara:soul:v2'), utf8(info), 32)
}

/** The native soul for a custom name on this hardware (Go `NativeSoulCustom`). */
export function nativeSoulCustom(fingerprint: Uint8Array, name: string): Soul {
  return soulForName(hkdfSeed(fingerprint, `seed:custom:${name}`), name)
}

/** The native soul in generated-name mode (Go `NativeSoulGenerated`), bonded to its own name. */
export function nativeSoulGenerated(fingerprint: Uint8Array): Soul {
  const seed = hkdfSeed(fingerprint, 'seed:generated')
  return soulForName(seed, generateName(toHex(seed)))
}
