/**
 * Acceptance: `nara verify --batch` (the built binary, as a real process) gives Go's verdict on
 * every message vector of the shared file, or the stricter verdict @nara/crypto documents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNara } from './helpers/run-cli.js'
import {
  allMessageVectors,
  keyringFor,
  type MessageVector,
  stricterVerdict,
} from './helpers/vectors.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-vectors-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('nara verify --batch on the shared vectors', () => {
  it('gives Go verdict (or the documented stricter one) on every message vector', async () => {
    const vectors = allMessageVectors()
    expect(vectors.length).toBe(151)

    // One batch run per distinct keyring, in vector order within each.
    const groups = new Map<string, { keyring: Record<string, string>; vectors: MessageVector[] }>()
    for (const vector of vectors) {
      const keyring = keyringFor(vector)
      const key = JSON.stringify(keyring)
      let group = groups.get(key)
      if (!group) {
        group = { keyring, vectors: [] }
        groups.set(key, group)
      }
      group.vectors.push(vector)
    }

    const mismatches: string[] = []
    let checked = 0
    let stricter = 0
    let index = 0
    for (const group of groups.values()) {
      const keyringPath = path.join(dir, `keyring-${index++}.json`)
      writeFileSync(keyringPath, JSON.stringify(group.keyring))
      const input = group.vectors
        .map((v) => JSON.stringify({ topic: v.topic, payload_b64: v.payloadBase64 }))
        .join('\n')
      const result = await runNara(['verify', '--batch', '--keyring', keyringPath], {
        stdin: `${input}\n`,
      })
      expect(result.stderr).toBe('')
      const lines = result.stdout.trim().split('\n')
      expect(lines).toHaveLength(group.vectors.length)
      let allAccepted = true
      group.vectors.forEach((vector, i) => {
        const got = JSON.parse(lines[i]!) as {
          verdict: string
          reason: string | null
          from: string | null
        }
        expect(Object.keys(got).sort()).toEqual(['from', 'reason', 'verdict'])
        if (got.verdict !== 'accept') allAccepted = false
        expect(got.reason ?? '').not.toMatch(/^(internal-error|bad-input-line)/)
        const documented = stricterVerdict(vector)
        const ok =
          got.verdict === vector.expect ||
          (documented !== undefined &&
            got.verdict === documented.verdict &&
            (documented.reason === undefined || got.reason === documented.reason))
        if (got.verdict !== vector.expect && ok) stricter++
        if (!ok) {
          mismatches.push(
            `${vector.kind}/${vector.name}: expected ${vector.expect}, got ${got.verdict} (${got.reason})`,
          )
        }
        checked++
      })
      expect(result.code).toBe(allAccepted ? 0 : 1)
    }
    expect(mismatches).toEqual([])
    expect(checked).toBe(vectors.length)
    console.log(
      `nara verify: ${checked} vectors checked in ${groups.size} batch runs, ${checked - stricter} with Go's verdict, ${stricter} with the documented stricter verdict`,
    )
  })
})
