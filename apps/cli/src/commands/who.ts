/**
 * `nara who`: who is on the plaza. Listens for a window (default 35 s) or until every nara it
 * knows (the pinned names) has been heard, then prints one row per nara: state, when it was last
 * heard and by which kind of message, age of the last newspaper, chattiness, buzz, version, key
 * fingerprint and whether the key matches the pins. Every verified message counts as evidence
 * (`who-evidence.ts`). Hearing nobody is a "no" (exit 1), with why and what to try on stderr.
 */
import type { DropEvent, KeyConflictEvent, PlazaEvent } from '@nara/plaza'
import type { Command } from 'commander'
import {
  addBrokerOptions,
  addDataDirOption,
  type CliContext,
  type CommandSettingFlags,
  examples,
  settingsFor,
} from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { formatAge, info, note, printJson, printLine, renderTable, warn } from '../output.js'
import { loadPins, openPlaza } from '../plaza-session.js'
import { looksLikeNaraId } from '../verification.js'
import {
  EVIDENCE_KINDS,
  isEvidence,
  nobodyHeard,
  recordEvent,
  type Seen,
  stateOrder,
  toRow,
  type WhoRow,
} from '../who-evidence.js'

interface WhoFlags extends Omit<CommandSettingFlags, 'name' | 'soulFile'> {
  wait?: string
  json?: boolean
  keyring?: string
  connectTimeout?: string
}

export type { WhoRow }

export function registerWho(program: Command, ctx: CliContext): void {
  const command = program
    .command('who')
    .description('who is on the plaza: listen for a while, then print a table of naras')
    .option(
      '--wait <seconds>',
      'listen this long (default 35); ends early once every pinned nara was heard',
    )
    .option('--json', 'one JSON object per nara, one per line')
    .option(
      '--keyring <file>',
      'pins to compare keys with (default: the agent keyring in the data directory, if any)',
    )
    .option('--connect-timeout <seconds>', 'give up connecting after this long (default 15)')
  addDataDirOption(addBrokerOptions(command))
    .addHelpText(
      'after',
      `${examples([
        ['nara who', 'listen up to 35 s, then print the town'],
        ['nara who --wait 300', 'wait for every newspaper (period 30..300 s)'],
        ['nara who --json | jq -r .name', 'just the names'],
      ])}
Every verified message counts: hey_there, howdy, newspaper, social, checkpoint proposal or vote.
Columns: state (ONLINE heard, OFFLINE said chau, MISSING pinned but silent), heard (age and kind
of the last verified message), heartbeat (age of the last newspaper), chattiness, buzz, version,
key fingerprint, and trust (pinned: the key matches the pins; new: not pinned before; conflict:
a message contradicted a pinned key). Exit 1 when nobody was heard (why and what to try go to
stderr).
`,
    )
    .action(async (flags: WhoFlags) => {
      ctx.exitCode = await who(ctx, flags)
    })
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got "${value}"`)
  }
  return Number(value)
}

async function who(ctx: CliContext, flags: WhoFlags): Promise<number> {
  const settings = settingsFor(ctx, flags)
  const waitS = positiveNumber('--wait', flags.wait) ?? 35
  const connectTimeoutS = positiveNumber('--connect-timeout', flags.connectTimeout) ?? 15
  const { pins, source } = await loadPins(settings, flags.keyring)
  const pinnedNames = Object.keys(pins).filter((label) => !looksLikeNaraId(label))

  const { plaza, close } = await openPlaza(settings, {
    pins,
    connectTimeoutMs: connectTimeoutS * 1000,
    signal: ctx.signal,
    onConnectionNote: (n) => note(ctx.io, n),
  })
  const me = plaza.identity.name
  const seen = new Map<string, Seen>()
  const drops = new Map<string, number>()
  const entry = (name: string) => {
    let s = seen.get(name)
    if (!s) {
      s = { name, messages: 0 }
      seen.set(name, s)
    }
    return s
  }

  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const everyoneHeard = () =>
    pinnedNames.length > 0 &&
    pinnedNames.every((n) => n === me || seen.get(n)?.lastHeardMs !== undefined)

  const heard = (event: PlazaEvent) => {
    if (event.sender === me || !isEvidence(event)) return
    recordEvent(entry(event.sender), event)
    if (everyoneHeard()) finish()
  }
  const offs = EVIDENCE_KINDS.map((kind) => plaza.on(kind, (event) => heard(event as PlazaEvent)))
  offs.push(
    plaza.on('key-conflict', (conflict: KeyConflictEvent) => {
      if (conflict.name) entry(conflict.name).conflict = true
    }),
    plaza.on('drop', (drop: DropEvent) => {
      drops.set(drop.reason, (drops.get(drop.reason) ?? 0) + 1)
    }),
  )
  const timer = setTimeout(finish, waitS * 1000)
  const onAbort = () => finish()
  ctx.signal.addEventListener('abort', onAbort, { once: true })
  ctx.io.stderr.write(
    `${ctx.io.colorErr.dim(
      `listening on ${settings.broker.url} for up to ${waitS} s${
        pinnedNames.length ? ` or until all ${pinnedNames.length} pinned naras are heard` : ''
      }${source ? ` (pins from ${source})` : ''}...`,
    )}\n`,
  )
  await finished
  clearTimeout(timer)
  ctx.signal.removeEventListener('abort', onAbort)
  for (const off of offs) off()
  await close()

  const now = Date.now()
  const heardAnyone = seen.size > 0
  for (const name of pinnedNames) if (name !== me) entry(name)
  const rows = [...seen.values()]
    .map((s) => toRow(s, pins, now))
    .sort((a, b) => stateOrder(a.state) - stateOrder(b.state) || a.name.localeCompare(b.name))
  if (!heardAnyone && ctx.signal.aborted) {
    info(ctx.io, 'interrupted before anyone was heard')
    return ExitCode.ok
  }
  if (!heardAnyone) {
    reportNobody(ctx, { url: settings.broker.url, waitS, drops })
    if (flags.json) for (const row of rows) printJson(ctx.io, row)
    return ExitCode.failed
  }
  printWho(ctx, rows, flags.json === true)
  return ExitCode.ok
}

/** Nobody was heard: say so, why, and what to try (stderr; stdout stays for results). */
function reportNobody(
  ctx: CliContext,
  options: { url: string; waitS: number; drops: ReadonlyMap<string, number> },
): void {
  const { why, tryThis } = nobodyHeard(options)
  warn(ctx.io, `nobody spoke on ${options.url} in ${options.waitS} s: ${why}`)
  const dim = ctx.io.colorErr.dim
  for (const line of tryThis) ctx.io.stderr.write(`${dim('  try:')} ${line}\n`)
}

/** The rows as JSON lines or a table for humans. */
function printWho(ctx: CliContext, rows: readonly WhoRow[], json: boolean): void {
  if (json) {
    for (const row of rows) printJson(ctx.io, row)
    return
  }
  const c = ctx.io.color
  const paintState = { ONLINE: c.green, OFFLINE: c.dim, MISSING: c.yellow }
  const paintTrust = { pinned: c.green, new: c.yellow, conflict: c.red, unknown: c.dim }
  const ago = (ms: number | null) => (ms === null ? '-' : `${formatAge(ms)} ago`)
  printLine(
    ctx.io,
    renderTable(
      ctx.io,
      ['name', 'state', 'heard', 'heartbeat', 'chattiness', 'buzz', 'version', 'key', 'trust'],
      rows.map((r) => [
        r.name,
        paintState[r.state](r.state),
        r.lastHeardAgeMs === null ? '-' : `${ago(r.lastHeardAgeMs)} (${r.lastEvidence})`,
        ago(r.heartbeatAgeMs),
        r.chattiness === null ? '-' : String(r.chattiness),
        r.buzz === null ? '-' : String(r.buzz),
        r.version ?? '-',
        r.fingerprint,
        paintTrust[r.trust](r.trust === 'conflict' ? 'CONFLICT' : r.trust),
      ]),
    ),
  )
  const online = rows.filter((r) => r.state === 'ONLINE').length
  printLine(ctx.io, c.dim(`${online} online, ${rows.length} known`))
}
