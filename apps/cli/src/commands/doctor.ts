/**
 * `nara doctor`: checks the configuration and the way to each broker of MQTT_HOST one step at a
 * time (configuration, then per broker DNS, TCP, TLS chain, credentials, subscribe, round-trip
 * publish on a private test topic), prints each step with a verdict and the fix (and, for a list,
 * one line per broker), and exits 1 if any step fails. The steps are in `doctor-steps.ts`.
 */
import type { Command } from 'commander'
import { addBrokerOptions, addIdentityOptions, type CliContext, examples } from '../context.js'
import { type DoctorFlags, runSteps, type StepResult, type StepStatus } from '../doctor-steps.js'
import { ExitCode, UsageError } from '../errors.js'
import { printJson, printLine } from '../output.js'

export function registerDoctor(program: Command, ctx: CliContext): void {
  const command = program
    .command('doctor')
    .description(
      'check the configuration and the broker step by step (DNS, TCP, TLS, credentials, subscribe, round trip)',
    )
    .option('--timeout <seconds>', 'bound for each network step (default 5)')
    .option('--json', 'print one JSON object with every step')
  addIdentityOptions(addBrokerOptions(command))
    .addHelpText(
      'after',
      `${examples([
        ['nara doctor', 'check the configured broker'],
        ['MQTT_HOST=tls://localhost:8883 NARA_TLS_CA=ca.crt nara doctor', 'a local TLS broker'],
        ['nara doctor --json | jq .steps', 'as JSON'],
      ])}
Exit status: 0 when no step failed (warnings allowed), 1 when a step failed.
`,
    )
    .action(async (flags: DoctorFlags) => {
      ctx.exitCode = await doctor(ctx, flags)
    })
}

async function doctor(ctx: CliContext, flags: DoctorFlags): Promise<number> {
  let timeoutMs = 5000
  if (flags.timeout !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(flags.timeout) || Number(flags.timeout) <= 0) {
      throw new UsageError(`--timeout must be a positive number of seconds, got "${flags.timeout}"`)
    }
    timeoutMs = Number(flags.timeout) * 1000
  }
  const steps: StepResult[] = []
  const report = (result: StepResult) => {
    steps.push(result)
    if (!flags.json) printStep(ctx, result)
  }
  if (!flags.json) printLine(ctx.io, ctx.io.color.bold('nara doctor'))
  await runSteps(ctx, flags, timeoutMs, report)
  const failed = steps.filter((s) => s.status === 'fail')
  const brokers = brokerVerdicts(steps)
  if (flags.json) printJson(ctx.io, { ok: failed.length === 0, steps, brokers })
  else printSummary(ctx, steps, brokers)
  return failed.length === 0 ? ExitCode.ok : ExitCode.failed
}

/** Per broker of a list: whether every one of its steps passed, else the step that failed. */
interface BrokerVerdict {
  url: string
  ok: boolean
  failed?: StepResult
}

function brokerVerdicts(steps: readonly StepResult[]): BrokerVerdict[] {
  const verdicts = new Map<string, BrokerVerdict>()
  for (const s of steps) {
    if (s.broker === undefined) continue
    const v = verdicts.get(s.broker) ?? { url: s.broker, ok: true }
    if (s.status === 'fail' && v.ok) verdicts.set(s.broker, { url: s.broker, ok: false, failed: s })
    else verdicts.set(s.broker, v)
  }
  return [...verdicts.values()]
}

function printSummary(
  ctx: CliContext,
  steps: readonly StepResult[],
  brokers: readonly BrokerVerdict[],
): void {
  const c = ctx.io.color
  const failed = steps.filter((s) => s.status === 'fail').length
  const warned = steps.filter((s) => s.status === 'warn').length
  printLine(ctx.io)
  // A list of brokers: one line each, so a dead one stands out.
  for (const b of brokers) {
    if (b.ok) printLine(ctx.io, `${c.green('ok  ')}  ${b.url}`)
    else
      printLine(ctx.io, `${c.red('FAIL')}  ${b.url}: ${b.failed?.step} failed: ${b.failed?.detail}`)
  }
  if (failed === 0) {
    printLine(
      ctx.io,
      c.green(
        warned === 0
          ? 'All good: the plaza is reachable.'
          : `Reachable, with ${warned} warning(s) above.`,
      ),
    )
  } else if (brokers.length > 0 && brokers.some((b) => b.ok)) {
    const dead = brokers.filter((b) => !b.ok).length
    printLine(
      ctx.io,
      c.red(
        `${dead} of ${brokers.length} brokers failed; the plaza uses the others. See the fixes above.`,
      ),
    )
  } else {
    printLine(ctx.io, c.red(`${failed} step(s) failed; see the fixes above.`))
  }
}

const LABELS: Record<StepStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' }

function printStep(ctx: CliContext, r: StepResult): void {
  const c = ctx.io.color
  const paint = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim }[r.status]
  const on = r.broker === undefined ? '' : `${r.broker}: `
  printLine(ctx.io, `${paint(LABELS[r.status].padEnd(4))}  ${r.step.padEnd(13)}  ${on}${r.detail}`)
  if (r.fix) printLine(ctx.io, `      ${c.dim('fix:')} ${r.fix}`)
}
