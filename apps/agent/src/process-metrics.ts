/**
 * What an operator alerts on about the process, once per process (a town has one for all its
 * naras): prom-client's default metrics (`process_*`, `nodejs_*`) and
 * `nara_build_info{version,node}` = 1.
 */
import { readFileSync } from 'node:fs'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'

/** The agent's package version (from its package.json: `src/` and `dist/` are one level down). */
export function agentVersion(): string {
  const url = new URL('../package.json', import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
}

export function createProcessMetrics(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const info = new Gauge({
    name: 'nara_build_info',
    help: 'Always 1; the labels say which agent and Node.js run',
    labelNames: ['version', 'node'],
    registers: [registry],
  })
  info.set({ version: agentVersion(), node: process.versions.node }, 1)
  return registry
}
