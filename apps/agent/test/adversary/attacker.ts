/**
 * Throwaway attacker identities and their validly signed messages (`@nara/crypto` builders):
 * keys cost nothing, so every attack row makes its own.
 */
import {
  buildHeyThere,
  buildSocial,
  type Ed25519Backend,
  fastestBackend,
  generateSoul,
  identityFromSoul,
} from '@nara/crypto'
import { signHowdy, signNewspaperStatus } from '@nara/crypto/wire'
import { encodeNewspaperBytes, encodeSyncEvent } from '@nara/protocol'

export interface Attacker {
  readonly name: string
  readonly naraId: string
  readonly publicKeyBase64: string
  heyThere(tsNs: bigint): Buffer
  social(tsNs: bigint, target: string): Buffer
  /** A signed newspaper for `nara/newspaper/{name}` whose host has been up `uptimeS`. */
  newspaper(uptimeS: number): Buffer
  /** A signed howdy to `to` listing `neighbours` (unsigned hints) as ONLINE. */
  howdy(to: string, seq: number, neighbours: readonly string[]): Buffer
}

/** A minimal Go-shaped NaraStatus with the given key, ID and host uptime. */
function statusJson(key: string, id: string, uptimeS: number): string {
  return `{"LicensePlate":"","Flair":"","HostStats":{"Uptime":${uptimeS},"LoadAvg":0,"MemAllocMB":0,"MemSysMB":0,"MemHeapMB":0,"MemStackMB":0,"NumGoroutines":0,"NumGC":0,"ProcCPUPercent":0},"Chattiness":1,"Buzz":1,"Observations":null,"Trend":"","TrendEmoji":"","Personality":{"Agreeableness":1,"Sociability":1,"Chill":1},"Aura":{"primary":"","secondary":""},"Version":"0.2.0","PublicUrl":"","PublicKey":"${key}","ID":"${id}","MeshEnabled":false,"MeshIP":""}`
}

const backend: Ed25519Backend = fastestBackend()

/** A fresh key pair speaking as `name`. */
export function attacker(name: string): Attacker {
  const me = identityFromSoul(generateSoul(name).soul, name)
  const signer = { name, seed: me.keypair.seed }
  const publicKey = me.keypair.publicKey
  const publicKeyB64 = Buffer.from(publicKey).toString('base64')
  return {
    name,
    naraId: me.naraId,
    publicKeyBase64: publicKeyB64,
    heyThere: (tsNs) =>
      Buffer.from(
        encodeSyncEvent(
          buildHeyThere({ name, publicKey, naraId: me.naraId, tsNs }, signer, backend),
        ),
      ),
    social: (tsNs, target) =>
      Buffer.from(
        encodeSyncEvent(
          buildSocial(
            { type: 'tease', actor: name, target, reason: 'random', tsNs },
            signer,
            backend,
          ),
        ),
      ),
    newspaper: (uptimeS) => {
      const status = Buffer.from(statusJson(publicKeyB64, me.naraId, uptimeS))
      const sig = signNewspaperStatus(status, me.keypair.seed, backend)
      return Buffer.from(encodeNewspaperBytes(name, status, sig))
    },
    howdy: (to, seq, neighbours) => {
      const lastSeen = Math.floor(Date.now() / 1000)
      const list = neighbours.map(
        (n) =>
          `{"Name":${JSON.stringify(n)},"PublicKey":"","MeshIP":"","ID":"","Observation":{"online":"ONLINE","last_seen":${lastSeen}}}`,
      )
      const sig = signHowdy(name, to, seq, me.keypair.seed, backend)
      const me_ = statusJson(publicKeyB64, me.naraId, 1000)
      return Buffer.from(
        `{"From":${JSON.stringify(name)},"To":${JSON.stringify(to)},"Seq":${seq},"You":{},"Neighbors":[${list.join(',')}],"Me":${me_},"Signature":"${sig}"}`,
      )
    },
  }
}

/** Now in Unix nanoseconds, plus `offsetNs`. */
export const nowNs = (offsetNs = 0n) => BigInt(Date.now()) * 1_000_000n + offsetNs
