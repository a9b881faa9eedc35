/** Backend selection: the portable default, every available backend, and the fastest one. */
import { BackendUnavailableError } from '../errors.js'
import type { BackendName, Ed25519Backend } from './backend.js'
import { nobleBackend } from './noble.js'
import { nodeBackend } from './node.js'
import { loadSodiumBackend } from './sodium.js'

let nodeWorks: boolean | undefined

function nodeAvailable(): boolean {
  if (nodeWorks === undefined) {
    try {
      nodeBackend.publicKey(new Uint8Array(32))
      nodeWorks = true
    } catch {
      nodeWorks = false
    }
  }
  return nodeWorks
}

/** The default backend for functions whose `backend` argument is omitted: `noble`. */
export const defaultBackend: Ed25519Backend = nobleBackend

/** Every backend that works in this process, in order noble, node, sodium. */
export function availableBackends(): Ed25519Backend[] {
  const out: Ed25519Backend[] = [nobleBackend]
  if (nodeAvailable()) out.push(nodeBackend)
  const sodium = loadSodiumBackend()
  if (sodium !== null) out.push(sodium)
  return out
}

/** The fastest available backend: sodium if it loads, else node, else noble. */
export function fastestBackend(): Ed25519Backend {
  return loadSodiumBackend() ?? (nodeAvailable() ? nodeBackend : nobleBackend)
}

/** A backend by name; throws `BackendUnavailableError` when it cannot be used here. */
export function getBackend(name: BackendName): Ed25519Backend {
  if (name === 'noble') return nobleBackend
  if (name === 'node' && nodeAvailable()) return nodeBackend
  if (name === 'sodium') {
    const sodium = loadSodiumBackend()
    if (sodium !== null) return sodium
  }
  throw new BackendUnavailableError(`Ed25519 backend "${name}" is not available`)
}
