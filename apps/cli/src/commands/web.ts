/**
 * `nara web`: the live web page of the plaza (the one the agent serves at `/`), for any broker,
 * without running a nara. It joins as a watcher with no identity of its own (a throwaway one
 * that never publishes, like `nara watch`), verifies every message against the pins, and serves
 * the page on localhost until Ctrl-C. stdout gets the page's URL; diagnostics go to stderr.
 */
import { attachPlaza, createPlazaView, createWebRoutes, createWebServer } from '@nara/web'
import type { Command } from 'commander'
import {
  addBrokerOptions,
  addDataDirOption,
  addWatcherOptions,
  type CliContext,
  type CommandSettingFlags,
  examples,
  settingsFor,
} from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { note, printLine } from '../output.js'
import { loadPins, openPlaza } from '../plaza-session.js'

interface WebFlags extends Omit<CommandSettingFlags, 'name' | 'soulFile'> {
  host?: string
  port?: string
  missingAfter?: string
  keyring?: string
  connectTimeout?: string
}

export function registerWeb(program: Command, ctx: CliContext): void {
  const command = program
    .command('web')
    .description('serve the live web page of the plaza, watching without an identity')
    .option('--host <address>', 'listen on this address (default 127.0.0.1: this machine only)')
    .option('--port <port>', 'listen on this port (default 9633; 0 picks a free one)')
    .option('--missing-after <seconds>', 'silence after which a nara shows MISSING (default 300)')
  addDataDirOption(addBrokerOptions(addWatcherOptions(command)))
    .addHelpText(
      'after',
      `${examples([
        ['nara web', 'serve the page for MQTT_HOST, print its URL'],
        ['nara web --port 0 --mqtt-host mqtt://127.0.0.1:1883', 'a free port, another broker'],
      ])}
The page binds to 127.0.0.1 unless --host says otherwise (--host and --port are the page's
address; -h and -p are the broker's). It shows only what the plaza says in
public (names, statuses, drops); exposing it still tells anyone who can reach it who is on the
plaza and what is refused, live.
`,
    )
    .action(async (flags: WebFlags) => {
      ctx.exitCode = await web(ctx, flags)
    })
}

function whole(flag: string, value: string | undefined, min: number, max: number) {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`)
  }
  return Number(value)
}

async function web(ctx: CliContext, flags: WebFlags): Promise<number> {
  const settings = settingsFor(ctx, flags)
  const port = whole('--port', flags.port, 0, 65_535) ?? 9633
  const missingAfterS = whole('--missing-after', flags.missingAfter, 1, 86_400) ?? 300
  const connectTimeoutS = whole('--connect-timeout', flags.connectTimeout, 1, 3600) ?? 15
  const { pins, source } = await loadPins(settings, flags.keyring)
  const view = createPlazaView({
    mode: 'watcher',
    broker: settings.broker.url,
    missingAfterS,
  })
  const { plaza, close } = await openPlaza(settings, {
    pins,
    connectTimeoutMs: connectTimeoutS * 1000,
    signal: ctx.signal,
    onConnectionNote: (n) => note(ctx.io, n),
  })
  const detach = attachPlaza(view, plaza)
  view.start()
  const server = createWebServer({ routes: createWebRoutes({ view }), host: flags.host, port })
  let url: string
  try {
    url = await server.start()
  } catch (error) {
    detach()
    view.stop()
    await close()
    throw new UsageError(
      `cannot listen on ${flags.host ?? '127.0.0.1'}:${port}: ${(error as Error).message}`,
      'pick another --port (0 picks a free one)',
    )
  }
  printLine(ctx.io, url)
  ctx.io.stderr.write(
    `${ctx.io.colorErr.dim(
      `watching ${settings.broker.url}${source ? ` (pins from ${source})` : ''}; Ctrl-C to stop`,
    )}\n`,
  )
  if (!ctx.signal.aborted) {
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    )
  }
  await server.stop()
  detach()
  view.stop()
  await close()
  return ExitCode.ok
}
