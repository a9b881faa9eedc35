/**
 * `nara doctor`: checks the configuration and the way to the broker one step at a time
 * (configuration, DNS, TCP, TLS chain, credentials, subscribe, round-trip publish on a private
 * test topic), prints each step with a verdict and the fix, and exits 1 if any step fails.
 * The steps are in `doctor-steps.ts`.
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
  const failed = steps.filter((s) => s.status === 'fail').length
  const warned = steps.filter((s) => s.status === 'warn').length
  if (flags.json) {
    printJson(ctx.io, { ok: failed === 0, steps })
  } else {
    const c = ctx.io.color
    printLine(ctx.io)
    if (failed === 0) {
      printLine(
        ctx.io,
        c.green(
          warned === 0
            ? 'All good: the plaza is reachable.'
            : `Reachable, with ${warned} warning(s) above.`,
        ),
      )
    } else {
      printLine(ctx.io, c.red(`${failed} step(s) failed; see the fixes above.`))
    }
  }
  return failed === 0 ? ExitCode.ok : ExitCode.failed
}

const LABELS: Record<StepStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' }

function printStep(ctx: CliContext, r: StepResult): void {
  const c = ctx.io.color
  const paint = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim }[r.status]
  printLine(ctx.io, `${paint(LABELS[r.status].padEnd(4))}  ${r.step.padEnd(13)}  ${r.detail}`)
  if (r.fix) printLine(ctx.io, `      ${c.dim('fix:')} ${r.fix}`)
}
