/**
 * The steps of `nara doctor`, in order: configuration, DNS, TCP, TLS, credentials, subscribe,
 * round trip. Each reports one {@link StepResult}; after a failure the rest are reported as
 * skipped. The steps themselves live in `doctor-configuration.ts`, `doctor-network.ts` and
 * `doctor-mqtt-steps.ts`.
 */
import type { SettingFlags } from './config.js'
import type { CliContext } from './context.js'
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
}

/** The flags of `nara doctor`: the broker and identity flags, `--timeout`, `--json`. */
export interface DoctorFlags extends Omit<SettingFlags, 'dataDir'> {
  timeout?: string
  json?: boolean
}

/** Runs every step in order, reporting each; stops at the first failure. */
export async function runSteps(
  ctx: CliContext,
  flags: DoctorFlags,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<void> {
  const notRun = await runUntilFailure(ctx, flags, timeoutMs, report)
  if (notRun === undefined) return
  for (const step of STEPS.slice(STEPS.indexOf(notRun))) {
    report({ step, status: 'skip', detail: 'skipped: an earlier step failed' })
  }
}

/** The first step that was not run because an earlier one failed, or undefined. */
async function runUntilFailure(
  ctx: CliContext,
  flags: DoctorFlags,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<StepName | undefined> {
  const config = await checkConfiguration(ctx, flags)
  report(config.result)
  if (!config.settings) return 'dns'
  const { broker } = config.settings
  const addresses = await dnsStep(broker, timeoutMs, report)
  if (!addresses) return 'tcp'
  const socket = await tcpStep(broker, addresses, timeoutMs, report)
  if (!socket) return 'tls'
  if (!(await tlsStep(broker, socket, timeoutMs, report))) return 'credentials'
  return mqttSteps(broker, timeoutMs, report)
}
