/**
 * The steps of `nara doctor`, in order: configuration, then for every broker of MQTT_HOST (a
 * comma-separated list checks each one) DNS, TCP, TLS, credentials, subscribe, round trip. Each
 * reports one {@link StepResult}; after a failure the rest of that broker's steps are reported as
 * skipped and the next broker is checked. The steps themselves live in
 * `doctor-configuration.ts`, `doctor-network.ts` and `doctor-mqtt-steps.ts`.
 */
import type { BrokerSettings } from './config.js'
import type { CliContext, CommandSettingFlags } from './context.js'
import { checkConfiguration } from './doctor-configuration.js'
import { mqttSteps } from './doctor-mqtt-steps.js'
import { dnsStep, tcpStep, tlsStep } from './doctor-network.js'

export const STEPS = [
  'configuration',
  'dns',
  'tcp',
  'tls',
  'credentials',
  'subscribe',
  'round-trip',
] as const
export type StepName = (typeof STEPS)[number]

export type StepStatus = 'ok' | 'warn' | 'fail' | 'skip'

export interface StepResult {
  step: StepName
  status: StepStatus
  detail: string
  fix?: string
  /** The broker this step checked (without credentials), when MQTT_HOST lists several. */
  broker?: string
}

/** The flags of `nara doctor`: the broker and identity flags, `--timeout`, `--json`. */
export interface DoctorFlags extends Omit<CommandSettingFlags, 'dataDir'> {
  timeout?: string
  json?: boolean
}

/** Runs every step in order, reporting each; a failure skips the rest of its broker's steps. */
export async function runSteps(
  ctx: CliContext,
  flags: DoctorFlags,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<void> {
  const config = await checkConfiguration(ctx, flags)
  report(config.result)
  if (!config.settings) return skipFrom('dns', report)
  const { brokers } = config.settings
  for (const broker of brokers) {
    const tagged =
      brokers.length === 1 ? report : (r: StepResult) => report({ ...r, broker: broker.url })
    const notRun = await brokerSteps(broker, timeoutMs, tagged)
    if (notRun !== undefined) skipFrom(notRun, tagged)
  }
}

/** Reports `first` and every later step as skipped. */
function skipFrom(first: StepName, report: (r: StepResult) => void): void {
  for (const step of STEPS.slice(STEPS.indexOf(first))) {
    report({ step, status: 'skip', detail: 'skipped: an earlier step failed' })
  }
}

/** One broker's steps; returns the first step that was not run because one failed. */
async function brokerSteps(
  broker: BrokerSettings,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<StepName | undefined> {
  const addresses = await dnsStep(broker, timeoutMs, report)
  if (!addresses) return 'tcp'
  const socket = await tcpStep(broker, addresses, timeoutMs, report)
  if (!socket) return 'tls'
  if (!(await tlsStep(broker, socket, timeoutMs, report))) return 'credentials'
  return mqttSteps(broker, timeoutMs, report)
}
