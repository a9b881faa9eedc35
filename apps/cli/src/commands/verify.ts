/**
 * `nara verify`: offline verification of captured plaza payloads, one from stdin or a batch of
 * JSON lines. Exit 0 when everything is accepted, 1 when anything is rejected.
 */

import type { KeyLookup } from '@nara/crypto'
import type { Command } from 'commander'
import { type CliContext, examples } from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { readAll, readLines } from '../io-helpers.js'
import { EMPTY_KEYRING, loadKeyringFile } from '../keyring-file.js'
import { printJson, printLine, toJson } from '../output.js'
import {
  DEFAULT_WINDOW_S,
  toKeyLookup,
  type VerifyOptions,
  type VerifyOutcome,
  verifyPayload,
} from '../verification.js'

interface VerifyFlags {
  topic?: string
  batch?: boolean
  keyring?: string
  json?: boolean
  now?: string
  window?: string
}

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description(
      'check captured plaza messages offline: encoding, schema, keys and signatures (not freshness, unless --now)',
    )
    .option(
      '--topic <topic>',
      'MQTT topic the payload came from; omit for a gossip-only SyncEvent (ping, observation, seen)',
    )
    .option(
      '--batch',
      'read JSON lines {"topic", "payload_b64"} and write one verdict line per input',
    )
    .option(
      '--keyring <file>',
      'JSON object mapping names and NaraIDs to base64 public keys; also pins embedded keys',
    )
    .option('--now <unix-ns>', 'check freshness against this time (Unix nanoseconds)')
    .option(
      '--window <seconds>',
      `freshness window half-width with --now (default ${DEFAULT_WINDOW_S})`,
    )
    .option('--json', 'print the verdict as one JSON object')
    .addHelpText(
      'after',
      `${examples([
        ['nara verify --topic nara/plaza/hey_there < msg.json', 'one payload from stdin'],
        [
          'nara verify --topic nara/newspaper/alice --keyring keys.json --json < paper.json',
          'as JSON',
        ],
        ['nara verify --batch --keyring keys.json < capture.jsonl', 'a whole capture'],
        [
          'nara verify --topic nara/plaza/chau --now "$(date +%s%N)" < msg.json',
          'also check freshness',
        ],
      ])}
Exit status: 0 accepted (all accepted with --batch), 1 rejected, 2 bad usage or input.
Verdicts: accept, or reject with a reason: unsigned, bad-signature, unknown-sender, key-conflict,
id-mismatch, bad-id, duplicate-voter, too-few-signatures, self-vote, subject-unsigned,
sender-mismatch, malformed,
unsupported, or stale (only with --now).
`,
    )
    .action(async (flags: VerifyFlags) => {
      ctx.exitCode = await verify(ctx, flags)
    })
}

async function verify(ctx: CliContext, flags: VerifyFlags): Promise<number> {
  const options = parseFreshness(flags)
  if (flags.batch && flags.topic !== undefined) {
    throw new UsageError('--batch takes the topic from each input line, not from --topic')
  }
  const keyring = toKeyLookup(flags.keyring ? await loadKeyringFile(flags.keyring) : EMPTY_KEYRING)
  return flags.batch ? verifyBatch(ctx, keyring, options) : verifyOne(ctx, flags, keyring, options)
}

function parseFreshness(flags: VerifyFlags): VerifyOptions {
  if (flags.window !== undefined && flags.now === undefined) {
    throw new UsageError(
      '--window only applies with --now',
      'add --now <unix-ns>, e.g. --now "$(date +%s%N)"',
    )
  }
  if (flags.now === undefined) return {}
  if (!/^\d{1,20}$/.test(flags.now)) {
    throw new UsageError(
      `--now must be Unix time in nanoseconds, got "${flags.now}"`,
      'use e.g. --now "$(date +%s%N)"',
    )
  }
  let windowS = DEFAULT_WINDOW_S
  if (flags.window !== undefined) {
    if (!/^\d+$/.test(flags.window) || Number(flags.window) <= 0) {
      throw new UsageError(`--window must be a positive number of seconds, got "${flags.window}"`)
    }
    windowS = Number(flags.window)
  }
  return { nowNs: BigInt(flags.now), windowS }
}

async function verifyOne(
  ctx: CliContext,
  flags: VerifyFlags,
  keyring: KeyLookup,
  options: VerifyOptions,
): Promise<number> {
  const payload = await readAll(ctx.io.stdin)
  if (payload.length === 0) {
    throw new UsageError(
      'no payload on stdin',
      'pipe the message in: nara verify --topic <topic> < msg.json',
    )
  }
  const outcome = verifyPayload(flags.topic ?? null, payload, keyring, options)
  if (flags.json) {
    printJson(ctx.io, { ...outcome, topic: flags.topic ?? null })
  } else {
    printLine(ctx.io, describe(ctx, outcome))
  }
  return outcome.verdict === 'accept' ? ExitCode.ok : ExitCode.failed
}

function describe(ctx: CliContext, outcome: VerifyOutcome): string {
  const c = ctx.io.color
  const verdict = outcome.verdict === 'accept' ? c.green('accept') : c.red('reject')
  const parts = [verdict]
  if (outcome.reason) parts.push(outcome.reason)
  if (outcome.kind) parts.push(c.dim(outcome.kind))
  parts.push(`from ${outcome.from ?? c.dim('(unknown)')}`)
  let line = parts.join('  ')
  if (outcome.detail) line += `\n  ${c.dim(outcome.detail)}`
  return line
}

interface BatchLine {
  topic: string | null
  payload: Uint8Array
}

/** Parses one capture line; returns a reason string when the line itself is unusable. */
function parseBatchLine(line: string): BatchLine | string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return 'bad-input-line: not JSON'
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'bad-input-line: not a JSON object'
  }
  const { topic, payload_b64: b64 } = value as { topic?: unknown; payload_b64?: unknown }
  if (topic !== undefined && topic !== null && typeof topic !== 'string') {
    return 'bad-input-line: topic must be a string or null'
  }
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    return 'bad-input-line: payload_b64 must be standard padded base64'
  }
  return { topic: topic ?? null, payload: new Uint8Array(Buffer.from(b64, 'base64')) }
}

/** In a batch, one message that trips a bug must not hide the verdicts of the others. */
function verifySafely(line: BatchLine, keyring: KeyLookup, options: VerifyOptions) {
  try {
    return verifyPayload(line.topic, line.payload, keyring, options)
  } catch (error) {
    return {
      verdict: 'reject' as const,
      reason: `internal-error: ${(error as Error).message}`,
      from: null,
    }
  }
}

async function verifyBatch(ctx: CliContext, keyring: KeyLookup, options: VerifyOptions) {
  let all = true
  for await (const raw of readLines(ctx.io.stdin)) {
    const line = raw.trim()
    if (line === '') continue
    const parsed = parseBatchLine(line)
    const outcome: Pick<VerifyOutcome, 'verdict' | 'reason' | 'from'> =
      typeof parsed === 'string'
        ? { verdict: 'reject', reason: parsed, from: null }
        : verifySafely(parsed, keyring, options)
    if (outcome.verdict !== 'accept') all = false
    ctx.io.stdout.write(
      `${toJson({ verdict: outcome.verdict, reason: outcome.reason, from: outcome.from })}\n`,
    )
  }
  return all ? ExitCode.ok : ExitCode.failed
}
