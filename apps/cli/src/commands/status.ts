/**
 * `nara status [url]`: reads a running agent's `/status` (default http://127.0.0.1:9632/status)
 * and prints it for humans: who the nara is, its connection, its neighbourhood, what it dropped.
 * A town's `/status` (`{ town, naras }`) prints the town's summary and one line per nara.
 * `--json` prints the document as received.
 */
import type { Command } from 'commander'
import { type CliContext, examples } from '../context.js'
import { AgentError, ExitCode, UsageError } from '../errors.js'
import { printJson } from '../output.js'
import { printNara, printTown, type StatusLike, type TownStatusLike } from '../status-view.js'

/** The agent's default status address (NARA_HTTP_HOST / NARA_HTTP_PORT of the agent). */
export const DEFAULT_STATUS_URL = 'http://127.0.0.1:9632/status'

interface StatusFlags {
  json?: boolean
  timeout?: string
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(`show a running agent's /status for humans (default ${DEFAULT_STATUS_URL})`)
    .argument('[url]', 'the status URL, or host:port, of the agent (its NARA_HTTP_PORT)')
    .option('--json', 'print the document as the agent sent it')
    .option('--timeout <seconds>', 'give up after this long (default 5)')
    .addHelpText(
      'after',
      examples([
        ['nara status', 'the agent on this machine'],
        ['nara status 127.0.0.1:9640', 'another port'],
        ['nara status --json | jq .counts', 'the raw document'],
      ]),
    )
    .action(async (url: string | undefined, flags: StatusFlags) => {
      ctx.exitCode = await status(ctx, url, flags)
    })
}

/** `host:port`, `http://host:port` or a full URL; a URL without a path gets `/status`. */
export function statusUrl(text: string | undefined): URL {
  const raw = text ?? DEFAULT_STATUS_URL
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`)
  } catch {
    throw new UsageError(
      `"${raw}" is not a URL`,
      `give the agent's status URL, e.g. ${DEFAULT_STATUS_URL}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`"${raw}" is not an http(s) URL`, `e.g. ${DEFAULT_STATUS_URL}`)
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/status'
  return url
}

async function fetchStatus(url: URL, timeoutMs: number, signal: AbortSignal): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      headers: { accept: 'application/json' },
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? 'no answer in time'
        : (cause?.code ?? cause?.message ?? (error as Error).message)
    throw new AgentError(
      `cannot reach the agent at ${url.href}: ${why}`,
      'is the agent running? Its status port is NARA_HTTP_PORT (default 9632); pass its URL',
      error,
    )
  }
  if (!response.ok) {
    throw new AgentError(
      `${url.href} answered HTTP ${response.status}`,
      "is this the agent's /status URL?",
    )
  }
  try {
    return await response.json()
  } catch (error) {
    throw new AgentError(`${url.href} did not send JSON`, "is this the agent's /status URL?", error)
  }
}

async function status(ctx: CliContext, text: string | undefined, flags: StatusFlags) {
  const url = statusUrl(text)
  let timeoutS = 5
  if (flags.timeout !== undefined) {
    timeoutS = Number(flags.timeout)
    if (!(timeoutS > 0))
      throw new UsageError(`--timeout must be a positive number, got "${flags.timeout}"`)
  }
  const doc = await fetchStatus(url, timeoutS * 1000, ctx.signal)
  if (flags.json) {
    printJson(ctx.io, doc)
    return ExitCode.ok
  }
  if (isObject(doc) && isObject(doc.town)) printTown(ctx.io, doc as unknown as TownStatusLike)
  else if (isObject(doc) && 'me' in doc && 'counts' in doc)
    printNara(ctx.io, doc as unknown as StatusLike)
  else
    throw new AgentError(
      `${url.href} sent JSON that is not an agent status document`,
      "is this the agent's /status URL?",
    )
  return ExitCode.ok
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
