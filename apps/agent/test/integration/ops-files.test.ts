import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireBinary, startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { DockerfileParser } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

const file = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url))
const read = (rel: string) => readFileSync(file(rel), 'utf8')

/** PromQL words that are not metric names: functions, keywords, aggregations. */
const PROMQL_WORDS = new Set(
  'sum avg min max count rate irate increase delta deriv histogram_quantile absent by without on ignoring group_left group_right and or unless bool offset topk bottomk abs clamp_min clamp_max label_values'.split(
    ' ',
  ),
)

/** Metric names an expression uses (strings, label matchers and label lists left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\$\w+/g, '')
  const words = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []
  return words.filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w) && !/^e\d+$/.test(w))
}

/** Every series name a scrape can hold: each `# TYPE`, with a histogram's three. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>()
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string]
    names.add(name)
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s)
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s)
  }
  return names
}

interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>
  templating: { list: Array<{ query?: unknown }> }
}
interface Rules {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string }> }>
}

describe('ops files: the Grafana dashboard and the Prometheus rules', () => {
  let broker: TestBroker
  let agent: AgentProcess
  let exported: Set<string>

  beforeAll(async () => {
    broker = await startAedes()
    agent = await spawnAgent({ brokerUrl: broker.url })
    // nara_verify_seconds appears with the first verification (its own newspaper's echo).
    const text = await vi.waitFor(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${agent.httpPort}/metrics`)).text()
        if (!body.includes('# TYPE nara_verify_seconds ')) throw new Error('no verification yet')
        return body
      },
      { timeout: 30_000, interval: 200 },
    )
    exported = exportedNames(text)
  }, 60_000)

  afterAll(async () => {
    await stopAgent(agent)
    await broker?.close()
  })

  it('reads PromQL metric names, leaving labels, strings and functions out', () => {
    expect(
      metricNames(
        'sum by (nara, reason) (rate(nara_drops_total{reason!="x y"}[10m])) > 0.05 and on (nara) up == 1',
      ),
    ).toEqual(['nara_drops_total', 'up'])
  })

  it('the dashboard is valid JSON and names only metrics a running agent exports', () => {
    const dashboard = JSON.parse(read('ops/grafana-dashboard.json')) as Dashboard
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))
    for (const v of dashboard.templating.list) {
      if (typeof v.query === 'string' && v.query.startsWith('label_values('))
        exprs.push(v.query.slice('label_values('.length, v.query.indexOf(',')))
    }
    expect(exprs.length).toBeGreaterThanOrEqual(10)
    const used = new Set(exprs.flatMap(metricNames))
    expect([...used].filter((n) => !exported.has(n))).toEqual([])
    // The metrics operators alert on are on it.
    for (const n of ['nara_connected', 'nara_drops_total', 'nara_verify_seconds_bucket'])
      expect(used).toContain(n)
  })

  it('the alert rules are valid YAML and name only metrics a running agent exports', () => {
    const rules = parseYaml(read('ops/prometheus-rules.yml')) as Rules
    const all = rules.groups.flatMap((g) => g.rules)
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'NaraDisconnected',
        'NaraNoNewspapersVerified',
        'NaraDropsRising',
        'NaraNeighboursMissing',
      ]),
    )
    for (const r of all) {
      expect(r.expr, r.alert).toBeTypeOf('string')
      if (r.for !== undefined) expect(r.for, r.alert).toMatch(/^\d+[smh]$/)
    }
    const used = new Set(all.flatMap((r) => metricNames(r.expr)))
    expect([...used].filter((n) => !exported.has(n))).toEqual([])
  })
})

describe('ops files: the systemd unit', () => {
  const unit = read('ops/nara-agent.service')

  it('passes systemd-analyze verify (and the check catches a broken unit)', () => {
    const analyze = requireBinary('systemd-analyze', 'systemd', process.env.PATH)
    const good = spawnSync(analyze, ['verify', file('ops/nara-agent.service')], {
      encoding: 'utf8',
    })
    expect(good.stderr + good.stdout).toBe('')
    expect(good.status).toBe(0)
    const dir = mkdtempSync(join(tmpdir(), 'nara-unit-'))
    const broken = join(dir, 'nara-agent.service')
    writeFileSync(broken, unit.replace('KillSignal=SIGTERM', 'KillSignal=SIGNOPE'))
    const bad = spawnSync(analyze, ['verify', broken], { encoding: 'utf8' })
    expect(bad.stderr).toMatch(/SIGNOPE/)
  })

  it('stops with SIGTERM, keeps its data in a state directory and runs the nara-agent bin', () => {
    const settings = new Map<string, string[]>()
    for (const line of unit.split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line)
      if (m) settings.set(m[1] as string, [...(settings.get(m[1] as string) ?? []), m[2] as string])
    }
    expect(settings.get('ExecStart')).toEqual(['/usr/bin/env nara-agent'])
    expect(settings.get('KillSignal')).toEqual(['SIGTERM'])
    expect(settings.get('StateDirectory')).toEqual(['nara'])
    expect(settings.get('Environment')).toContain('NARA_DATA_DIR=/var/lib/nara')
    // No secret in the unit: they come from the environment file or *_FILE variables.
    expect(unit).not.toMatch(/MQTT_PASS=|NARA_SOUL=/)
  })
})

describe('ops files: the Dockerfile', () => {
  const text = read('Dockerfile')

  it('lints clean with dockerfile-utils (and the linter catches a broken one)', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([])
    expect(
      validate(`${text}\nHEALTHCHECK --interval=soon CMD true\nEXPOSE port\n`).length,
    ).toBeGreaterThan(0)
  })

  it('node:20-slim, a non-root user, a data volume and a health check on /healthz', () => {
    const instructions = DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => [i.getKeyword(), i.getArgumentsContent() ?? ''] as const)
    const of = (k: string) => instructions.filter(([kw]) => kw === k).map(([, a]) => a)
    expect(of('FROM')).toEqual(['node:20-slim'])
    expect(of('USER')).toEqual(['nara'])
    expect(of('VOLUME')).toEqual(['["/data"]'])
    expect(of('HEALTHCHECK').join(' ')).toContain('/healthz')
    expect(of('ENTRYPOINT')).toEqual(['["nara-agent"]'])
    expect(of('ENV').join(' ')).toContain('NARA_DATA_DIR=/data')
  })
})
