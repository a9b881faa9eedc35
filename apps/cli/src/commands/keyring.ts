/**
 * `nara keyring show|export`: the key pins a running agent keeps in its data directory (a
 * single nara's `$NARA_DATA_DIR/keyring.json`, and a town's shared `town/keyring.json`; see
 * `agent-keyrings.ts`), each a flat JSON map of names and NaraIDs to base64 public keys, the
 * same format `nara verify --keyring` reads.
 */
import { writeFile } from 'node:fs/promises'
import { keyFingerprint } from '@nara/web'
import type { Command } from 'commander'
import { AGENT_KEYRING_FILE, type AgentKeyring, findAgentKeyrings } from '../agent-keyrings.js'
import { addDataDirOption, type CliContext, examples, settingsFor } from '../context.js'
import { ExitCode, InputError } from '../errors.js'
import { type KeyringFile, loadKeyringFile } from '../keyring-file.js'
import { type Io, printJson, printLine, renderTable } from '../output.js'
import { looksLikeNaraId } from '../verification.js'

interface KeyringFlags {
  dataDir?: string
  file?: string
  json?: boolean
  out?: string
  town?: boolean
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
      .description(
        `list the pins in $NARA_DATA_DIR/${AGENT_KEYRING_FILE} and a town's town/${AGENT_KEYRING_FILE}, one row per key`,
      )
      .option('--file <file>', 'read this keyring file instead of the data directory')
      .option('--town', "only the town's pins")
      .option('--json', 'print one JSON object per key, one per line'),
  )
    .addHelpText(
      'after',
      examples([
        ['nara keyring show', 'the pins of the agent (a nara, a town, or both) in ~/.nara-plaza'],
        ['nara keyring show --town', "only the pins the town's naras share"],
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
      .option('--town', "the town's pins (default: the single nara's, else the town's)")
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

/** The keyrings to read: `--file`, or those of the data directory (`--town`: the town's only). */
async function load(ctx: CliContext, flags: KeyringFlags): Promise<AgentKeyring[]> {
  if (flags.file !== undefined) {
    return [
      { keeper: 'file', file: flags.file, keyring: await loadKeyringFile(flags.file), naras: [] },
    ]
  }
  const found = await findAgentKeyrings(settingsFor(ctx, { dataDir: flags.dataDir }).dataDir)
  if (!flags.town) return found
  const town = found.filter((k) => k.keeper === 'town')
  if (town.length === 0) {
    throw new InputError(
      `no town keyring in ${found[0]!.file.replace(/keyring\.json$/, '')}town/`,
      "a town (NARA_MODE=town) keeps its pins there; drop --town for the single nara's",
    )
  }
  return town
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
  const keyrings = await load(ctx, flags)
  for (const found of keyrings) {
    const rows = groupByKey(found.keyring)
    if (flags.json) {
      for (const row of rows) {
        printJson(ctx.io, {
          ...row,
          keeper: found.keeper,
          file: found.file,
          ownNara: found.naras.find((n) => row.names.includes(n)) ?? null,
        })
      }
    } else {
      showTable(ctx.io, found, rows)
    }
  }
  return ExitCode.ok
}

/** One keyring for humans: whose pins, one row per key (a town marks its own naras). */
function showTable(io: Io, found: AgentKeyring, rows: KeyRow[]): void {
  const dim = io.color.dim
  if (found.keeper === 'town') {
    const naras = found.naras.length ? `: ${found.naras.join(', ')}` : ''
    printLine(
      io,
      io.color.bold(`the town's pins, shared by its ${found.naras.length} nara(s)${naras}`),
    )
  } else if (found.keeper === 'nara') {
    printLine(io, io.color.bold("the nara's pins"))
  }
  if (rows.length === 0) {
    printLine(io, `no pins yet in ${found.file}`)
    return
  }
  const own = new Set(found.naras)
  printLine(
    io,
    renderTable(
      io,
      ['name', 'nara id', 'fingerprint', 'public key'],
      rows.map((r) => [
        r.names.map((n) => (own.has(n) ? `${n} ${dim('(town)')}` : n)).join('\n') || dim('-'),
        r.naraIds.join('\n') || dim('-'),
        r.fingerprint,
        r.publicKey,
      ]),
    ),
  )
  printLine(io, dim(`${rows.length} key(s), ${found.keyring.size} pin(s) in ${found.file}`))
}

async function exportKeyring(ctx: CliContext, flags: KeyringFlags): Promise<number> {
  const keyrings = await load(ctx, flags)
  const { keyring, file } = keyrings[0]!
  if (keyrings.length > 1) {
    ctx.io.stderr.write(`exporting ${file}; the town's pins: --town\n`)
  }
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
