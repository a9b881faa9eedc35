import { describe, expect, it } from 'vitest'
import { createLru, publicKeyCache } from '../src/backends/key-cache.js'

describe('key cache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const lru = createLru<number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1) // a is now most recent
    lru.set('c', 3)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(1)
    expect(lru.size).toBe(2)
  })

  it('imports each distinct public key once', () => {
    let imports = 0
    const get = publicKeyCache((k) => {
      imports++
      return k.length
    }, 4)
    const k1 = new Uint8Array(32).fill(1)
    get(k1)
    get(Uint8Array.from(k1))
    get(new Uint8Array(32).fill(2))
    expect(imports).toBe(2)
  })
})
