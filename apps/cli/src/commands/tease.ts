/** `nara tease <name>`: sign a social tease with our soul and publish it on the plaza. */
import { buildSocial } from '@nara/crypto'
import { TOPICS } from '@nara/protocol'
import type { Command } from 'commander'
import {
  addBrokerOptions,
  addIdentityOptions,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import { UsageError } from '../errors.js'
import { publishSigned } from '../signed-publish.js'

interface TeaseFlags {
  reason?: string
  json?: boolean
  connectTimeout?: string
  name?: string
  soulFile?: string
  mqttHost?: string
  mqttPort?: string
  mqttUser?: string
  mqttPass?: string
  tlsCa?: string
  tlsInsecure?: boolean
}

/** Reasons the Go naras use (WIRE.md §4.3); any other text is allowed too. */
export const TEASE_REASONS = [
  'high-restarts',
  'comeback',
  'trend-abandon',
  'random',
  'nice-number',
] as const

export function registerTease(program: Command, ctx: CliContext): void {
  const command = program
    .command('tease')
    .description(
      'sign a tease with your soul and publish it on nara/plaza/social (QoS 1, confirmed)',
    )
    .argument('<name>', 'the nara to tease')
    .option('--reason <reason>', `why (Go uses ${TEASE_REASONS.join(', ')}; default random)`)
    .option('--json', 'print the result as one JSON object')
    .option('--connect-timeout <seconds>', 'give up connecting after this long (default 15)')
  addIdentityOptions(addBrokerOptions(command))
    .addHelpText(
      'after',
      `${examples([
        ['nara tease lisa', 'a random tease, signed with NARA_SOUL'],
        [
          'nara tease lisa --reason comeback --soul-file ~/.nara-soul',
          'with a reason and a soul file',
        ],
      ])}
TS naras verify a tease with the key they pinned for you: let them hear your hey_there first
(\`nara say hey\`). Go naras accept it either way.
`,
    )
    .action(async (target: string, flags: TeaseFlags) => {
      ctx.exitCode = await tease(ctx, target, flags)
    })
}

async function tease(ctx: CliContext, target: string, flags: TeaseFlags): Promise<number> {
  const settings = settingsFor(ctx, flags)
  if (!/^[^/+#\s]{1,64}$/.test(target)) {
    throw new UsageError(
      `"${target}" is not a nara name`,
      'names have 1-64 characters without "/", "+", "#" or spaces',
    )
  }
  const reason = flags.reason ?? 'random'
  return publishSigned(
    ctx,
    settings,
    flags,
    (me, tsNs) => {
      if (me.name === target)
        throw new UsageError('teasing yourself is not a thing', 'pick another nara')
      return {
        topic: TOPICS.social,
        kind: 'social',
        event: buildSocial(
          { type: 'tease', actor: me.name, actorId: me.naraId, target, reason, tsNs },
          { name: me.name, seed: me.keypair.seed },
        ),
      }
    },
    (me) => `${me.name} teased ${target} (${reason})`,
  )
}
