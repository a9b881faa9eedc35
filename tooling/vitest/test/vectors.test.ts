import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  identityByName,
  loadPlazaVectors,
  MESSAGE_KINDS,
  messageVector,
  messageVectors,
  REDUCED_KEYRINGS,
  readPlazaVectors,
  receiverIdentities,
  vectorIdentities,
  vectorsPath,
} from '../src/vectors.js'

describe('the golden vector loader', () => {
  it('fails loudly, naming the expected path, when the file is missing', () => {
    const missing = join(tmpdir(), 'nara-no-such-dir', 'plaza-vectors.json')
    expect(() => readPlazaVectors(missing)).toThrow(`golden vector file not found at ${missing}`)
  })

  it('rejects a file whose sections do not match the message kinds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nara-vectors-'))
    try {
      const partial = join(dir, 'partial.json')
      await writeFile(partial, JSON.stringify({ meta: {}, identity: {} }))
      expect(() => readPlazaVectors(partial)).toThrow('section hey_there has no vectors array')
      const extra = join(dir, 'extra.json')
      const sections = Object.fromEntries(MESSAGE_KINDS.map((k) => [k, { vectors: [] }]))
      await writeFile(extra, JSON.stringify({ ...sections, gossip: { vectors: [] } }))
      expect(() => readPlazaVectors(extra)).toThrow('unknown sections gossip')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reads the shared file once, with every message vector in file order and its kind', () => {
    expect(loadPlazaVectors()).toBe(loadPlazaVectors())
    const all = messageVectors()
    expect(all).toHaveLength(151)
    expect([...new Set(all.map((v) => v.kind))]).toEqual([...MESSAGE_KINDS])
    expect(messageVectors('howdy').every((v) => v.kind === 'howdy')).toBe(true)
    expect(messageVector('hey_there', 'hey_there_with_id').transport.topic).toBe(
      'nara/plaza/hey_there',
    )
    expect(() => messageVector('chau', 'nope')).toThrow(`no vector chau/nope in ${vectorsPath}`)
    expect(identityByName('alice').label).toBe('alice')
    expect(() => identityByName('mallory')).toThrow('no vector identity mallory')
  })

  it('gives each reduced-keyring vector the identities its receiver knows', () => {
    for (const key of Object.keys(REDUCED_KEYRINGS)) {
      const [kind, name] = key.split('/') as [(typeof MESSAGE_KINDS)[number], string]
      expect(messageVector(kind, name).name).toBe(name)
    }
    const names = (kind: string, name: string) => receiverIdentities(kind, name).map((i) => i.name)
    const everyone = vectorIdentities().map((i) => i.name)
    expect(names('hey_there', 'hey_there_with_id')).toEqual(everyone)
    expect(names('checkpoint_proposal', 'proposal_round1__unknown_subject_key')).toEqual(
      everyone.filter((n) => n !== 'alice'),
    )
    expect(names('checkpoint_final', 'final_checkpoint__receiver_knows_one_key')).toEqual(['bob'])
    expect(names('checkpoint_final', 'final_checkpoint__receiver_knows_two_keys')).toEqual([
      'bob',
      'carol',
    ])
  })
})
