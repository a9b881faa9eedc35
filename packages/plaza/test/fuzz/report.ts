/** The fuzz report as text: the three counts, throughput, sanity figures, findings. */
import type { FuzzReport } from './run-fuzz.js'

const n = (x: number) => Math.round(x).toLocaleString('en-US')

export function formatReport(r: FuzzReport): string {
  const lines = [
    `fuzz seed ${r.seed}: ${n(r.inputs)} inputs in ${r.seconds.toFixed(1)} s (${n(r.perSecond)} inputs/s)`,
    `  escapes ${r.escapes}, hangs ${r.hangs}, accepted changes to signed content ${r.acceptedChanges}`,
    `  corpus ${r.corpus} vectors; originals accepted: decode+verify ${r.originalsAccepted['decode+verify']}, pipeline ${r.originalsAccepted.pipeline}`,
    `  mutants accepted with their signed content unchanged: decode+verify ${n(r.acceptedSame['decode+verify'])}, pipeline ${n(r.acceptedSame.pipeline)}`,
    `  slowest input ${r.maxInputMs.toFixed(1)} ms; decoder internal errors caught by the decoder ${r.decoderInternal}`,
  ]
  for (const f of r.findings) {
    lines.push(
      `  ${f.type} at input ${f.index} (${f.target}, ${f.vector}, topic ${f.topic}): ${f.detail}`,
      `    re-run: FUZZ_SEED=${r.seed} FUZZ_FROM=${f.index} FUZZ_COUNT=1; payload ${f.payloadBase64.slice(0, 200)}`,
    )
  }
  return lines.join('\n')
}
