/**
 * `pnpm --filter @nara/scale-sim sim`: the model and the simulation side by side for
 * N = 100, 1k, 10k, 100k naras, flat (everyone on the legacy subscriptions) and with
 * neighbourhoods and digests (everyone new). Figures are per nara unless marked.
 */
import { DEFAULT_SHAPE, type NaraLoad, type PlazaShape, plazaLoad } from './model.js'
import { simulate } from './simulate.js'

const fmt = (v: number, unit = '') =>
  Number.isNaN(v)
    ? '-'
    : `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3)}${unit}`

const row = (label: string, l: NaraLoad) =>
  `| ${label} | ${fmt(l.messagesPerS)} | ${fmt(l.bytesPerS / 1000)} | ${fmt(l.verificationsPerS)} | ${fmt(l.freshnessNearS, ' s')} | ${fmt(l.freshnessFarS, ' s')} |`

const lines: string[] = [
  `shape: P = ${DEFAULT_SHAPE.newspaperPeriodS} s (±${DEFAULT_SHAPE.newspaperJitter * 100} %), newspaper ${DEFAULT_SHAPE.newspaperBytes} B, neighbourhood G = ${DEFAULT_SHAPE.hoodSize}, ${DEFAULT_SHAPE.scribesPerHood} scribes, digest every D = ${DEFAULT_SHAPE.digestPeriodS} s, ${DEFAULT_SHAPE.digestEntryBytes} B per entry`,
  '',
  '| N, design, source | msg/s per nara | kB/s per nara | verifications/s per nara | view age, neighbourhood | view age, others | broker deliveries/s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
]
for (const naras of [100, 1_000, 10_000, 100_000]) {
  for (const design of ['flat', 'hood'] as const) {
    const shape: PlazaShape = {
      ...DEFAULT_SHAPE,
      naras,
      legacyNaras: design === 'flat' ? naras : 0,
    }
    const model = plazaLoad(shape)
    const sim = simulate(shape, { measureS: 5 * shape.newspaperPeriodS })
    const pick = (l: { legacy: NaraLoad; hood: NaraLoad }) =>
      design === 'flat' ? l.legacy : l.hood
    lines.push(
      `${row(`${naras.toLocaleString('en-US')} ${design} model`, pick(model))} ${fmt(model.brokerDeliveriesPerS)} |`,
    )
    lines.push(
      `${row(`${naras.toLocaleString('en-US')} ${design} simulated`, pick(sim))} ${fmt(sim.brokerDeliveriesPerS)} |`,
    )
  }
}
process.stdout.write(`${lines.join('\n')}\n`)
