/**
 * `nara who`: who is on the plaza. Listens for a window (default 35 s, a little more than the
 * fastest newspaper period) or until every nara it knows (the pinned names) has sent a
 * newspaper, then prints one row per nara: state, age of the last heartbeat, chattiness, buzz,
 * version, key fingerprint and whether the key matches the pins.
 */
import type { KeyConflictEvent, PlazaEvent } from '@nara/plaza'
import { keyFingerprint } from '@nara/web'
import type { Command } from 'commander'
import {
  addBrokerOptions,
  addDataDirOption,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { formatAge, printJson, printLine, renderTable, warn } from '../output.js'
import { loadPins, openPlaza } from '../plaza-session.js'
import { looksLikeNaraId } from '../verification.js'

interface WhoFlags {
  wait?: string
  json?: boolean
  keyring?: string
  connectTimeout?: string
  dataDir?: string
  mqttHost?: string
  mqttPort?: string
  mqttUser?: string
  mqttPass?: string
  tlsCa?: string
  tlsInsecure?: boolean
}

export interface WhoRow {
  name: string
  /** ONLINE (heard from), OFFLINE (said chau), MISSING (pinned but not heard in the window). */
  state: 'ONLINE' | 'OFFLINE' | 'MISSING'
  /** Milliseconds since its last newspaper; null when none was heard. */
  heartbeatAgeMs: number | null
  chattiness: number | null
  buzz: number | null
  version: string | null
  publicKey: string | null
  fingerprint: string
  /** pinned: matches the pins; new: not pinned before; conflict: contradicts a pin. */
  trust: 'pinned' | 'new' | 'conflict' | 'unknown'
}

interface Seen {
  name: string
  lastHeardMs?: number
  lastNewspaperMs?: number
  saidChau?: boolean
  chattiness?: number
  buzz?: number
  version?: string
  publicKey?: string
  conflict?: boolean
}

export function registerWho(program: Command, ctx: CliContext): void {
  const command = program
    .command('who')
    .description('who is on the plaza: listen for a while, then print a table of naras')
    .option(
      '--wait <seconds>',
      'listen this long (default 35); ends early once every pinned nara sent a newspaper',
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
        ['nara who --wait 90', 'also catch the slower newspapers'],
        ['nara who --json | jq -r .name', 'just the names'],
      ])}
Columns: state (ONLINE heard, OFFLINE said chau, MISSING pinned but silent), heartbeat (age of
the last newspaper), chattiness, buzz, version, key fingerprint, and trust (pinned: the key
matches the pins; new: not pinned before; conflict: a message contradicted a pinned key).
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
    onConnectionNote: (note) => warn(ctx.io, note),
  })
  const me = plaza.identity.name
  const seen = new Map<string, Seen>()
  const entry = (name: string) => {
    let s = seen.get(name)
    if (!s) {
      s = { name }
      seen.set(name, s)
    }
    return s
  }

  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const everyoneReported = () =>
    pinnedNames.length > 0 &&
    pinnedNames.every(
      (n) => n === me || seen.get(n)?.lastNewspaperMs !== undefined || seen.get(n)?.saidChau,
    )

  const heard = (event: PlazaEvent) => {
    if (event.sender === me) return
    recordEvent(entry(event.sender), event)
    if (everyoneReported()) finish()
  }
  const offs = (['newspaper', 'howdy', 'hey_there', 'chau', 'social'] as const).map((kind) =>
    plaza.on(kind, (event) => heard(event as PlazaEvent)),
  )
  offs.push(
    plaza.on('key-conflict', (conflict: KeyConflictEvent) => {
      if (conflict.name) entry(conflict.name).conflict = true
    }),
  )
  const timer = setTimeout(finish, waitS * 1000)
  const onAbort = () => finish()
  ctx.signal.addEventListener('abort', onAbort, { once: true })
  ctx.io.stderr.write(
    `${ctx.io.colorErr.dim(
      `listening on ${settings.broker.url} for up to ${waitS} s${
        pinnedNames.length ? ` or until all ${pinnedNames.length} pinned naras report` : ''
      }${source ? ` (pins from ${source})` : ''}...`,
    )}\n`,
  )
  await finished
  clearTimeout(timer)
  ctx.signal.removeEventListener('abort', onAbort)
  for (const off of offs) off()
  await close()

  const now = Date.now()
  for (const name of pinnedNames) if (name !== me) entry(name)
  const rows = [...seen.values()]
    .map((s) => toRow(s, pins, now))
    .sort((a, b) => stateOrder(a.state) - stateOrder(b.state) || a.name.localeCompare(b.name))
  return printWho(ctx, rows, { json: flags.json === true, url: settings.broker.url, waitS })
}

/** The rows as JSON lines or a table for humans. */
function printWho(
  ctx: CliContext,
  rows: readonly WhoRow[],
  options: { json: boolean; url: string; waitS: number },
): number {
  if (options.json) {
    for (const row of rows) printJson(ctx.io, row)
    return ExitCode.ok
  }
  if (rows.length === 0) {
    printLine(ctx.io, `nobody spoke on ${options.url} in ${options.waitS} s`)
    return ExitCode.ok
  }
  const c = ctx.io.color
  const paintState = { ONLINE: c.green, OFFLINE: c.dim, MISSING: c.yellow }
  const paintTrust = { pinned: c.green, new: c.yellow, conflict: c.red, unknown: c.dim }
  printLine(
    ctx.io,
    renderTable(
      ctx.io,
      ['name', 'state', 'heartbeat', 'chattiness', 'buzz', 'version', 'key', 'trust'],
      rows.map((r) => [
        r.name,
        paintState[r.state](r.state),
        r.heartbeatAgeMs === null ? '-' : `${formatAge(r.heartbeatAgeMs)} ago`,
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
  return ExitCode.ok
}

/** What an event tells about its sender: last heard, newspaper status, key, chau. */
function recordEvent(s: Seen, event: PlazaEvent): void {
  s.lastHeardMs = event.receivedAtMs
  if (event.kind === 'newspaper') {
    const status = (event as PlazaEvent<'newspaper'>).message.envelope.Status
    s.lastNewspaperMs = event.receivedAtMs
    s.saidChau = false
    s.chattiness = Number(status.Chattiness)
    s.buzz = Number(status.Buzz)
    s.version = status.Version || s.version
    s.publicKey = status.PublicKey || s.publicKey
  } else if (event.kind === 'howdy') {
    const status = (event as PlazaEvent<'howdy'>).message.Me
    s.chattiness ??= Number(status.Chattiness)
    s.buzz ??= Number(status.Buzz)
    s.version ??= status.Version || undefined
    s.publicKey = status.PublicKey || s.publicKey
  } else if (event.kind === 'hey_there') {
    s.saidChau = false
    s.publicKey = (event as PlazaEvent<'hey_there'>).message.hey_there.PublicKey || s.publicKey
  } else if (event.kind === 'chau') {
    s.saidChau = true
  }
}

function stateOrder(state: WhoRow['state']): number {
  return state === 'ONLINE' ? 0 : state === 'MISSING' ? 1 : 2
}

function toRow(s: Seen, pins: Record<string, string>, now: number): WhoRow {
  const pinned = pins[s.name]
  const key = s.publicKey ?? pinned ?? null
  let trust: WhoRow['trust'] = 'unknown'
  if (s.conflict || (pinned && s.publicKey && pinned !== s.publicKey)) trust = 'conflict'
  else if (pinned && key === pinned) trust = 'pinned'
  else if (key) trust = 'new'
  const state: WhoRow['state'] =
    s.lastHeardMs === undefined ? 'MISSING' : s.saidChau ? 'OFFLINE' : 'ONLINE'
  return {
    name: s.name,
    state,
    heartbeatAgeMs: s.lastNewspaperMs === undefined ? null : Math.max(0, now - s.lastNewspaperMs),
    chattiness: s.chattiness ?? null,
    buzz: s.buzz ?? null,
    version: s.version ?? null,
    publicKey: key,
    fingerprint: keyFingerprint(key ?? undefined),
    trust,
  }
}
