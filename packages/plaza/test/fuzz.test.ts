/**
 * The seeded fuzz campaign of CI (harness and knobs: `test/fuzz/README.md`): 20,000 mutated
 * golden-vector payloads through decode + verify and through the inbound pipeline, under a 1 s
 * per-input watchdog. Escapes, hangs and accepted changes to signed content must all be 0.
 * `FUZZ_SEED` replaces the fixed seed (a failure prints the seed and the input to re-run).
 */
import { fastestBackend, STRICTER_THAN_GO } from '@nara/crypto'
import { messageVectors } from '@nara/vitest-config/vectors'
import { describe, expect, it } from 'vitest'
import { FuzzEngine } from './fuzz/engine.js'
import { formatReport } from './fuzz/report.js'
import { runFuzz } from './fuzz/run-fuzz.js'
import { SignedReferences, signedContent } from './fuzz/signed-content.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20261203)

describe('seeded fuzz of decode + verify and the inbound pipeline', () => {
  it('20,000 mutated vectors: 0 escapes, 0 hangs, 0 accepted changes to signed content', async () => {
    const report = await runFuzz({ seed: SEED, count: 20_000 })
    console.log(formatReport(report))
    expect(report.inputs).toBe(20_000)
    // Both doors accept exactly the originals they should (Go's accepts, less the documented
    // stricter cases; the pipeline only those with a plaza topic), and mutants were judged.
    const accepted = messageVectors().filter(
      (v) => v.expect === 'accept' && STRICTER_THAN_GO[`${v.kind}/${v.name}`] === undefined,
    )
    expect(report.originalsAccepted['decode+verify']).toBe(accepted.length)
    expect(report.originalsAccepted.pipeline).toBe(
      accepted.filter((v) => v.transport.topic !== null).length,
    )
    expect(report.acceptedSame['decode+verify']).toBeGreaterThan(0)
    expect(report.acceptedSame.pipeline).toBeGreaterThan(0)
    expect(report.findings).toEqual([])
    expect({
      escapes: report.escapes,
      hangs: report.hangs,
      acceptedChanges: report.acceptedChanges,
    }).toEqual({ escapes: 0, hangs: 0, acceptedChanges: 0 })
  }, 300_000)

  it('the watchdog counts an input stuck for over 1 s as a hang, and goes on after it', async () => {
    const report = await runFuzz({ seed: SEED, count: 40, chunk: 20, simulateHangAt: 25 })
    expect(report.hangs).toBe(1)
    expect(report.inputs).toBe(40)
    expect(report.findings.map((f) => [f.type, f.index])).toEqual([['hang', 25]])
  }, 180_000)

  it('the oracle flags a howdy whose signed text is genuine but whose From/To were re-split', () => {
    const engine = new FuzzEngine()
    const backend = fastestBackend()
    const c = engine.corpus.find((x) => x.id === 'howdy/howdy_seq1_with_neighbors')
    if (c === undefined) throw new Error('vector howdy_seq1_with_neighbors missing')
    const refs = new SignedReferences()
    const message = JSON.parse(c.text)
    const genuine = signedContent({ kind: 'howdy', message }, c.keys, backend)
    if (genuine === undefined) throw new Error('no signed content for a howdy')
    refs.add(genuine)
    expect(refs.judge(genuine)).toBeUndefined()
    // Same signature pair (what verified), other field split: must be flagged.
    const resplit = {
      pairs: genuine.pairs,
      fields: genuine.fields.replace('"bob","alice"', '"bob:alice",""'),
    }
    expect(resplit.fields).not.toBe(genuine.fields)
    expect(refs.judge(resplit)).toMatch(/signed fields changed/)
    // A pair that never verified in an original: flagged too.
    expect(refs.judge({ pairs: ['k m'], fields: genuine.fields })).toMatch(/new bytes/)
  })
})
