/**
 * `nara soul inspect` and `nara soul new`: what a soul means (public key, NaraID, bond to a name)
 * and a fresh one. A soul is the private key; this command prints one only when asked to make it.
 */
import { encodeSoul, generateSoul } from '@nara/crypto'
import { keyFingerprint } from '@nara/web'
import type { Command } from 'commander'
import { addIdentityOptions, type CliContext, examples, settingsFor } from '../context.js'
import { ExitCode, UsageError } from '../errors.js'
import { configuredSoulText, identityFromSoul, parseSoulText } from '../identity.js'
import { readAll, writeSecretFile } from '../io-helpers.js'
import { type Io, printJson, printLine } from '../output.js'

interface InspectFlags {
  name?: string
  soulFile?: string
  json?: boolean
}

interface NewFlags {
  name?: string
  json?: boolean
  out?: string
}

export function registerSoul(program: Command, ctx: CliContext): void {
  const soul = program
    .command('soul')
    .description('inspect a soul, or make a new one')
    .addHelpText(
      'after',
      examples([
        ['nara soul new', 'a fresh soul and its quirky name'],
        ['nara soul new --name lisa', 'a fresh soul bonded to the name lisa'],
        ['nara soul new --out ~/.nara-soul', 'the soul into a file only you can read (0600)'],
        ['nara soul inspect --soul-file ~/.nara-soul', 'public key, NaraID and bond'],
      ]),
    )

  addIdentityOptions(
    soul
      .command('inspect')
      .description(
        'print the public key, the NaraID and whether the bond to the name holds (exit 1 when it does not)',
      )
      .argument(
        '[soul]',
        'soul text (shows in ps and shell history: prefer "-" for stdin, or --soul-file); default: --soul-file, NARA_SOUL_FILE or NARA_SOUL',
      )
      .option('--json', 'print one JSON object'),
  )
    .addHelpText(
      'after',
      examples([
        ['nara soul inspect --soul-file ~/.nara-soul --name lisa', 'does the soul belong to lisa?'],
        ['nara soul inspect - < ~/.nara-soul', 'read the soul from stdin (keeps it out of ps)'],
        ['nara soul inspect --json', 'the configured soul (NARA_SOUL_FILE, NARA_SOUL), as JSON'],
      ]),
    )
    .action(async (soulArg: string | undefined, flags: InspectFlags) => {
      ctx.exitCode = await inspect(ctx, soulArg, flags)
    })

  soul
    .command('new')
    .description('print a fresh soul, bonded to --name or to a generated quirky name')
    .option('--name <name>', 'bond the soul to this name (default: a quirky name)')
    .option('--json', 'print one JSON object')
    .option(
      '--out <file>',
      'write the soul to this new file, readable only by you (0600), instead of stdout',
    )
    .addHelpText(
      'after',
      examples([
        ['nara soul new --out ~/.nara-soul', 'keep it in a file only you can read'],
        [
          'nara soul new --name lisa --out lisa.soul --json',
          'bonded to lisa; JSON without the soul',
        ],
        ['nara soul new', 'print soul plus a quirky name like noisy-bear-189'],
      ]),
    )
    .action(async (flags: NewFlags) => {
      ctx.exitCode = await makeNew(ctx.io, flags)
    })
}

async function inspect(ctx: CliContext, soulArg: string | undefined, flags: InspectFlags) {
  const settings = settingsFor(ctx, { name: flags.name, soulFile: flags.soulFile })
  let text: string
  let source: string
  let name = flags.name
  if (soulArg === '-') {
    text = Buffer.from(await readAll(ctx.io.stdin)).toString('utf8')
    source = 'stdin'
  } else if (soulArg !== undefined) {
    text = soulArg
    source = 'the soul argument'
  } else {
    const configured = await configuredSoulText(settings)
    if (!configured) {
      throw new UsageError(
        'no soul to inspect',
        'pass one as an argument ("-" reads stdin), or set NARA_SOUL / --soul-file',
      )
    }
    text = configured.text
    source = configured.source
    // The configured soul goes with the configured name.
    name = settings.name
  }
  const soul = parseSoulText(text, source)
  const identity = identityFromSoul(soul, name)
  const result = {
    name: identity.name,
    nameSource: name === undefined ? 'derived' : 'given',
    bond: identity.bondValid,
    publicKey: identity.publicKeyBase64,
    naraId: identity.naraId,
    fingerprint: keyFingerprint(identity.publicKeyBase64),
  }
  const { io } = ctx
  if (flags.json) {
    printJson(io, result)
  } else {
    const c = io.color
    const bond = result.bond
      ? c.green('holds')
      : c.red('BROKEN (the soul is not bonded to this name)')
    printLine(
      io,
      `name         ${result.name}${result.nameSource === 'derived' ? c.dim(' (derived from the soul)') : ''}`,
    )
    printLine(io, `bond         ${bond}`)
    printLine(io, `public key   ${result.publicKey}`)
    printLine(io, `nara id      ${result.naraId}`)
    printLine(io, `fingerprint  ${result.fingerprint}`)
  }
  return result.bond ? ExitCode.ok : ExitCode.failed
}

async function makeNew(io: Io, flags: NewFlags): Promise<number> {
  const generated = generateSoul(flags.name)
  const identity = identityFromSoul(generated.soul, generated.name)
  const soulText = encodeSoul(generated.soul)
  if (flags.out !== undefined) await writeSecretFile(flags.out, `${soulText}\n`, 'soul file')
  const result = {
    ...(flags.out === undefined ? { soul: soulText } : { soulFile: flags.out }),
    name: identity.name,
    publicKey: identity.publicKeyBase64,
    naraId: identity.naraId,
  }
  if (flags.json) {
    printJson(io, result)
  } else {
    if (flags.out === undefined) printLine(io, `soul         ${soulText}`)
    else printLine(io, `soul file    ${flags.out} (mode 0600)`)
    printLine(io, `name         ${identity.name}`)
    printLine(io, `public key   ${identity.publicKeyBase64}`)
    printLine(io, `nara id      ${identity.naraId}`)
  }
  io.stderr.write(
    `${io.colorErr.dim('keep the soul secret: it is your private key. Use it with --soul-file or NARA_SOUL_FILE.')}\n`,
  )
  return ExitCode.ok
}
