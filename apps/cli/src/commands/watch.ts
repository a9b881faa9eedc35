/**
 * `nara watch`: a live stream of plaza traffic. Every message passes through @nara/plaza's
 * verified inbound pipeline; each line shows time, topic, sender, kind, a one-line summary and
 * the verdict (verified, or dropped with the reason).
 */
import { type DropEvent, PLAZA_MESSAGE_KINDS, type PlazaEvent } from '@nara/plaza'
import { summarize } from '@nara/web'
import type { Command } from 'commander'
import type { Settings } from '../config.js'
import {
  addBrokerOptions,
  addDataDirOption,
  addWatcherOptions,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { type Io, note, printJson, printLine } from '../output.js'
import { loadPins, openPlaza } from '../plaza-session.js'
import { startRawCapture } from '../raw-capture.js'

interface WatchFlags {
  topic?: string
  from?: string
  json?: boolean
  count?: string
  raw?: boolean
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

export interface WatchLine {
  time: string
  topic: string
  sender: string | null
  kind: string | null
  summary: string
  verdict: 'verified' | 'unauthenticated' | 'dropped'
  reason: string | null
}

export function registerWatch(program: Command, ctx: CliContext): void {
  const command = program
    .command('watch')
    .description('live stream of plaza traffic, each message verified or dropped with the reason')
    .option('-t, --topic <pattern>', 'only topics matching this MQTT pattern (+ and # wildcards)')
    .option('--from <name>', 'only messages from (or claiming to be from) this nara')
    .option('--json', 'one JSON object per line')
    .option('--count <n>', 'stop after printing n messages')
    .option(
      '--raw',
      'unverified capture: JSON lines {"time", "topic", "payload_b64"}, the input of `nara verify --batch`',
    )
  addDataDirOption(addBrokerOptions(addWatcherOptions(command)))
    .addHelpText(
      'after',
      `${examples([
        ['nara watch', 'everything, until Ctrl-C'],
        ["nara watch --topic 'nara/newspaper/#'", 'only newspapers'],
        ['nara watch --from lisa --json', "lisa's messages as JSON lines"],
        ['nara watch --json | jq \'select(.verdict == "dropped")\'', 'only what was dropped'],
        ['nara watch --raw --count 100 > capture.jsonl', 'a capture, to check later'],
        ['nara verify --batch --keyring keys.json < capture.jsonl', 'verify the capture'],
      ])}
Verdicts: verified (signature checked against the pinned or carried key), unauthenticated
(kinds without any signature: ledger_*, journey_complete), dropped (with the plaza's reason:
bad-signature, key-conflict, unknown-sender, unsigned, stale, duplicate, ...).
`,
    )
    .action(async (flags: WatchFlags) => {
      ctx.exitCode = await watch(ctx, flags)
    })
}

/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('/')
  const t = topic.split('/')
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true
    if (i >= t.length) return false
    if (p[i] !== '+' && p[i] !== t[i]) return false
  }
  return p.length === t.length
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${flag} must be a positive whole number, got "${value}"`)
  }
  return Number(value)
}

async function watch(ctx: CliContext, flags: WatchFlags): Promise<number> {
  const settings = settingsFor(ctx, flags)
  const count = positiveInt('--count', flags.count)
  const connectTimeoutS = positiveInt('--connect-timeout', flags.connectTimeout) ?? 15
  if (flags.topic !== undefined && !/^([^/#+]*|\+)(\/([^/#+]*|\+))*(\/#)?$|^#$/.test(flags.topic)) {
    throw new UsageError(
      `--topic "${flags.topic}" is not an MQTT topic pattern`,
      "use + for one level and # at the end, e.g. 'nara/newspaper/#'",
    )
  }
  if (flags.raw) return watchRaw(ctx, settings, flags, count, connectTimeoutS)
  const { pins, source } = await loadPins(settings, flags.keyring)
  const { plaza, close } = await openPlaza(settings, {
    pins,
    connectTimeoutMs: connectTimeoutS * 1000,
    signal: ctx.signal,
    onConnectionNote: (n) => note(ctx.io, n),
  })

  let printed = 0
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const emit = (line: WatchLine) => {
    if (count !== undefined && printed >= count) return
    if (flags.topic !== undefined && !topicMatches(flags.topic, line.topic)) return
    if (flags.from !== undefined && line.sender !== flags.from) return
    printed++
    if (flags.json) printJson(ctx.io, line)
    else printLine(ctx.io, formatLine(ctx.io, line))
    if (count !== undefined && printed >= count) finish()
  }

  const offs = PLAZA_MESSAGE_KINDS.map((kind) =>
    plaza.on(kind, (event) => emit(fromEvent(event as PlazaEvent))),
  )
  offs.push(plaza.on('drop', (drop) => emit(fromDrop(drop))))
  const onAbort = () => finish()
  ctx.signal.addEventListener('abort', onAbort, { once: true })

  ctx.io.stderr.write(
    `${ctx.io.colorErr.dim(
      `watching ${settings.broker.url}${source ? ` (pins from ${source})` : ''}; Ctrl-C to stop`,
    )}\n`,
  )
  await finished
  ctx.signal.removeEventListener('abort', onAbort)
  for (const off of offs) off()
  await close()
  return ExitCode.ok
}

/** `--raw`: the bytes as delivered, unverified, as `nara verify --batch` reads them. */
async function watchRaw(
  ctx: CliContext,
  settings: Settings,
  flags: WatchFlags,
  count: number | undefined,
  connectTimeoutS: number,
): Promise<number> {
  if (flags.from !== undefined || flags.json) {
    throw new UsageError(
      `${flags.from !== undefined ? '--from' : '--json'} does not go with --raw`,
      '--raw prints every message unverified (already JSON lines); filter with --topic',
    )
  }
  let printed = 0
  const stopped = new AbortController()
  const stop = await startRawCapture(settings.broker, {
    topic: flags.topic,
    connectTimeoutMs: connectTimeoutS * 1000,
    signal: ctx.signal,
    onConnectionNote: (n) => note(ctx.io, n),
    onMessage: (line) => {
      if (count !== undefined && printed >= count) return
      printed++
      printJson(ctx.io, line)
      if (count !== undefined && printed >= count) stopped.abort()
    },
  })
  ctx.io.stderr.write(
    `${ctx.io.colorErr.dim(`capturing ${settings.broker.url} unverified; Ctrl-C to stop`)}\n`,
  )
  const done = AbortSignal.any([ctx.signal, stopped.signal])
  if (!done.aborted) {
    await new Promise<void>((resolve) =>
      done.addEventListener('abort', () => resolve(), { once: true }),
    )
  }
  await stop()
  return ExitCode.ok
}

function fromEvent(event: PlazaEvent): WatchLine {
  return {
    time: new Date(event.receivedAtMs).toISOString(),
    topic: event.topic,
    sender: event.sender,
    kind: event.kind,
    summary: summarize(event),
    verdict: event.authenticated ? 'verified' : 'unauthenticated',
    reason: null,
  }
}

/** What a drop reason means, when the plaza gave no detail. */
const DROP_TEXT: Record<string, string> = {
  'bad-id': 'event id does not match its content',
  'bad-signature': 'signature does not verify',
  'key-conflict': 'key differs from the pinned key',
  'unknown-sender': 'no key known for the sender',
  unsigned: 'not signed',
  stale: 'timestamp outside the freshness window',
  duplicate: 'seen before',
  'rate-limited': 'sender is sending too fast',
}

function fromDrop(drop: DropEvent): WatchLine {
  return {
    time: new Date().toISOString(),
    topic: drop.topic,
    sender: drop.claimedSender ?? null,
    kind: drop.kind ?? null,
    summary: drop.detail ?? DROP_TEXT[drop.reason] ?? '',
    verdict: 'dropped',
    reason: drop.reason,
  }
}

function formatLine(io: Io, line: WatchLine): string {
  const c = io.color
  const time = line.time.slice(11, 23)
  const verdict =
    line.verdict === 'verified'
      ? c.green('verified')
      : line.verdict === 'unauthenticated'
        ? c.yellow('unauthenticated')
        : c.red(`dropped: ${line.reason}`)
  const sender = line.sender ?? '?'
  return [
    c.dim(time),
    line.topic.padEnd(24),
    sender.padEnd(18),
    (line.kind ?? '?').padEnd(10),
    line.summary,
    verdict,
  ].join('  ')
}
