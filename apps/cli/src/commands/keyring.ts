/**
 * `nara keyring show|export`: the key pins a running agent keeps in its data directory
 * (`$NARA_DATA_DIR/keyring.json`, a flat JSON map of names and NaraIDs to base64 public keys;
 * the same format `nara verify --keyring` reads).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { keyFingerprint } from '@nara/web'
import type { Command } from 'commander'
import { addDataDirOption, type CliContext, examples, settingsFor } from '../context.js'
import { ExitCode, InputError } from '../errors.js'
import { type KeyringFile, loadKeyringFile } from '../keyring-file.js'
import { printJson, printLine, renderTable } from '../output.js'
import { AGENT_KEYRING_FILE } from '../plaza-session.js'
import { looksLikeNaraId } from '../verification.js'

interface KeyringFlags {
  dataDir?: string
  file?: string
  json?: boolean
  out?: string
}

export function registerKeyring(program: Command, ctx: CliContext): void {
  const keyring = program
    .command('keyring')
    .description('show or export the key pins of a running agent (in its data directory)')
    .addHelpText(
      'after',
      examples([
        ['nara keyring show', 'who is pinned to which key'],
        ['nara keyring export > keys.json', 'for `nara verify --keyring keys.json`'],
      ]),
    )

  addDataDirOption(
    keyring
      .command('show')
      .description(`list the pins in $NARA_DATA_DIR/${AGENT_KEYRING_FILE}, one row per key`)
      .option('--file <file>', 'read this keyring file instead of the data directory')
      .option('--json', 'print one JSON object per key, one per line'),
  )
    .addHelpText(
      'after',
      examples([
        ['nara keyring show', 'the pins of the agent in ~/.nara-plaza'],
        ['NARA_DATA_DIR=/var/lib/nara nara keyring show --json', 'another data directory, as JSON'],
      ]),
    )
    .action(async (flags: KeyringFlags) => {
      ctx.exitCode = await show(ctx, flags)
    })

  addDataDirOption(
    keyring
      .command('export')
      .description('print the pins as the flat JSON map `nara verify --keyring` reads')
      .option('--file <file>', 'read this keyring file instead of the data directory')
      .option('--out <file>', 'write to this file instead of stdout'),
  )
    .addHelpText(
      'after',
      examples([
        ['nara keyring export > keys.json', 'save the pins'],
        ['nara keyring export --out keys.json', 'the same, without a shell redirect'],
      ]),
    )
    .action(async (flags: KeyringFlags) => {
      ctx.exitCode = await exportKeyring(ctx, flags)
    })
}

async function load(
  ctx: CliContext,
  flags: KeyringFlags,
): Promise<{ file: string; keyring: KeyringFile }> {
  const file =
    flags.file ??
    path.join(settingsFor(ctx, { dataDir: flags.dataDir }).dataDir, AGENT_KEYRING_FILE)
  try {
    return { file, keyring: await loadKeyringFile(file) }
  } catch (error) {
    if (error instanceof InputError && error.message.includes('no such file')) {
      throw new InputError(
        `no keyring at ${file}`,
        'start the agent once with this NARA_DATA_DIR (it writes its pins there), or pass --data-dir / --file',
      )
    }
    throw error
  }
}

interface KeyRow {
  names: string[]
  naraIds: string[]
  publicKey: string
  fingerprint: string
}

function groupByKey(keyring: KeyringFile): KeyRow[] {
  const rows = new Map<string, KeyRow>()
  for (const [label, key] of keyring.entries()) {
    let row = rows.get(key)
    if (!row) {
      row = { names: [], naraIds: [], publicKey: key, fingerprint: keyFingerprint(key) }
      rows.set(key, row)
    }
    if (looksLikeNaraId(label)) row.naraIds.push(label)
    else row.names.push(label)
  }
  return [...rows.values()].sort((a, b) => (a.names[0] ?? '~').localeCompare(b.names[0] ?? '~'))
}

async function show(ctx: CliContext, flags: KeyringFlags): Promise<number> {
  const { file, keyring } = await load(ctx, flags)
  const rows = groupByKey(keyring)
  if (flags.json) {
    for (const row of rows) printJson(ctx.io, row)
    return ExitCode.ok
  }
  if (rows.length === 0) {
    printLine(ctx.io, `no pins yet in ${file}`)
    return ExitCode.ok
  }
  const dash = ctx.io.color.dim('-')
  printLine(
    ctx.io,
    renderTable(
      ctx.io,
      ['name', 'nara id', 'fingerprint', 'public key'],
      rows.map((r) => [
        r.names.join('\n') || dash,
        r.naraIds.join('\n') || dash,
        r.fingerprint,
        r.publicKey,
      ]),
    ),
  )
  printLine(ctx.io, ctx.io.color.dim(`${rows.length} key(s), ${keyring.size} pin(s) in ${file}`))
  return ExitCode.ok
}

async function exportKeyring(ctx: CliContext, flags: KeyringFlags): Promise<number> {
  const { keyring } = await load(ctx, flags)
  const sorted = Object.fromEntries(
    keyring.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  )
  const text = `${JSON.stringify(sorted, null, 2)}\n`
  if (flags.out) {
    await writeFile(flags.out, text)
    ctx.io.stderr.write(`wrote ${keyring.size} pin(s) to ${flags.out}\n`)
  } else {
    ctx.io.stdout.write(text)
  }
  return ExitCode.ok
}
