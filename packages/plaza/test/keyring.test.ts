import { describe, expect, it } from 'vitest'
import { createKeyring } from '../src/index.js'

describe('keyring', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64')
  const k2 = Buffer.alloc(32, 2).toString('base64')
  it('pins the first key per name and per NaraID and reports conflicts', () => {
    const ring = createKeyring()
    expect(ring.pin({ name: 'alice', naraId: 'ID-A', publicKey: k1 }).status).toBe('pinned')
    expect(ring.pin({ name: 'alice', naraId: 'ID-A', publicKey: k1 }).status).toBe('known')
    expect(ring.pin({ name: 'alice', publicKey: k2 })).toMatchObject({
      status: 'conflict',
      label: 'name',
    })
    expect(ring.pin({ name: 'other', naraId: 'ID-A', publicKey: k2 })).toMatchObject({
      status: 'conflict',
      label: 'naraId',
    })
    expect(ring.lookup('other')).toBeUndefined()
    expect(Buffer.from(ring.byId('ID-A') as Uint8Array).toString('base64')).toBe(k1)
  })
  it('round-trips through JSON (flat map) and notifies changes', () => {
    const ring = createKeyring()
    let changes = 0
    ring.onChange(() => changes++)
    // A label shaped like a NaraID (base58, 43-44 chars) is an ID, any other label a name.
    const idB = '5PBmDr6A4ck5nPSRZ7UDM3XVUyuuEhVnXRTTKr8qfUo3'
    ring.pin({ name: 'bob', naraId: idB, publicKey: k2 })
    const json = ring.toJSON()
    expect(json).toEqual({ [idB]: k2, bob: k2 })
    const copy = createKeyring({ json })
    expect(copy.lookup('bob')).toBe(k2)
    expect(copy.idForName('bob')).toBe(idB)
    expect(copy.nameForId(idB)).toBe('bob')
    expect(() => copy.fromJSON({ x: 'short' })).toThrow(TypeError)
    expect(changes).toBe(1)
    expect(
      createKeyring({ maxPins: 1 }).pin({ name: 'a', naraId: 'b', publicKey: k1 }).status,
    ).toBe('full')
  })
  it('keeps topic-only (weak) pins apart: not persisted, not seen by check/lookup, bounded (never-confirmed evicted first), unpinnable', () => {
    const k3 = Buffer.alloc(32, 3).toString('base64')
    const ring = createKeyring({ maxPins: 2 })
    let changes = 0
    ring.onChange(() => changes++)
    expect(ring.pinTopic({ name: 'carol', publicKey: k1 }).status).toBe('pinned')
    expect(ring.pinTopic({ name: 'carol', publicKey: k1 }).status).toBe('known')
    expect(ring.checkTopic({ name: 'carol', publicKey: k2 })).toMatchObject({
      status: 'conflict',
      label: 'name',
      pinnedKey: k1,
    })
    expect(ring.checkTopic({ name: 'dave', publicKey: k1 })).toMatchObject({
      status: 'conflict',
      label: 'publicKey',
    })
    // A signed claim does not see the weak pin (it replaces it, see pin's `superseded`).
    expect(ring.check({ name: 'carol', publicKey: k2 }).status).toBe('pinned')
    expect(ring.lookup('carol')).toBeUndefined()
    expect(ring.toJSON()).toEqual({})
    expect([ring.size, ring.weakSize, changes]).toEqual([0, 1, 0])
    // Bounded by maxPins: the oldest NEVER-CONFIRMED weak pin is forgotten first (carol's key
    // spoke twice above: 'known' confirmed it).
    ring.pinTopic({ name: 'dave', publicKey: k2 })
    ring.pinTopic({ name: 'erin', publicKey: k3 })
    expect(ring.weakByName('dave')).toBeUndefined()
    expect(ring.weakByName('carol')).toBeDefined()
    expect(ring.weakSize).toBe(2)
    // Every weak pin confirmed: a new one is refused, none is forgotten.
    expect(ring.pinTopic({ name: 'erin', publicKey: k3 }).status).toBe('known')
    expect(ring.checkTopic({ name: 'dave', publicKey: k2 }).status).toBe('full')
    expect(ring.pinTopic({ name: 'dave', publicKey: k2 }).status).toBe('full')
    expect(ring.unpin('carol')).toBe(true)
    expect(ring.weakByName('carol')).toBeUndefined()
    // A durable pin of erin's key under another name supersedes erin's weak pin.
    expect(ring.pin({ name: 'frank', publicKey: k3 })).toEqual({
      status: 'pinned',
      superseded: [{ name: 'erin', publicKey: k3 }],
    })
    expect(ring.weakSize).toBe(0)
    expect(
      ring.pinTopic({ name: 'a1b2C3d4E5f6G7h8J9k1L2m3N4p5Q6r7S8t9U1v2W3x', publicKey: k2 }),
    ).toMatchObject({ status: 'refused' })
  })
})

describe('keyring tiers and NaraID claims', () => {
  const key = (n: number) => Buffer.alloc(32, n).toString('base64')
  it('evicts the oldest provisional pins for room, never durable ones, and promotes on a late confirm', () => {
    const ring = createKeyring({ maxPins: 2, promoteAfterMs: 1000 })
    let changes = 0
    ring.onChange(() => changes++)
    ring.pin({ name: 'p1', publicKey: key(1) }, { provisional: true, nowMs: 0 })
    ring.pin({ name: 'p2', publicKey: key(2) }, { provisional: true, nowMs: 10 })
    expect(changes).toBe(0)
    // Full: the oldest provisional pin makes room.
    expect(ring.pin({ name: 'd3', publicKey: key(3) }).status).toBe('pinned')
    expect([ring.lookup('p1'), ring.lookup('p2'), ring.size]).toEqual([undefined, key(2), 2])
    ring.confirm('p2', 1009)
    expect(ring.isDurable('p2')).toBe(false)
    ring.confirm('p2', 1010)
    expect(ring.isDurable('p2')).toBe(true)
    expect(ring.toJSON()).toEqual({ d3: key(3), p2: key(2) })
    // Every pin durable: nothing is evicted, the new one is refused.
    expect(ring.check({ name: 'p4', publicKey: key(4) }).status).toBe('full')
    expect(ring.pin({ name: 'p4', publicKey: key(4) }, { provisional: true }).status).toBe('full')
    expect(changes).toBe(2)
  })
  it('binds one NaraID per key, disputes an ID two keys claim, and unpin clears the dispute', () => {
    const ring = createKeyring()
    const id = '5PBmDr6A4ck5nPSRZ7UDM3XVUyuuEhVnXRTTKr8qfUo3'
    expect(ring.claimId(key(1), id).status).toBe('unowned')
    ring.pin({ name: 'alice', publicKey: key(1) })
    ring.pin({ name: 'mallory', publicKey: key(2) })
    expect(ring.claimId(key(1), id).status).toBe('bound')
    expect(ring.claimId(key(1), id).status).toBe('known')
    expect(ring.claimId(key(1), 'other-id')).toEqual({ status: 'mismatch', pinnedId: id })
    expect(ring.nameForId(id)).toBe('alice')
    expect(ring.claimId(key(2), id)).toEqual({ status: 'disputed', fresh: true, pinnedKey: key(1) })
    expect(ring.claimId(key(2), id)).toEqual({ status: 'disputed', fresh: false })
    expect([ring.isDisputed(id), ring.byId(id), ring.lookup(id), ring.nameForId(id)]).toEqual([
      true,
      undefined,
      undefined,
      undefined,
    ])
    expect(ring.toJSON()).toEqual({ alice: key(1), mallory: key(2) })
    expect(ring.unpin(id)).toBe(true)
    expect(ring.isDisputed(id)).toBe(false)
    expect(ring.claimId(key(2), id).status).toBe('bound')
  })
})
