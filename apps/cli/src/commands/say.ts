/** `nara say hey` / `nara say chau`: sign a hey_there or chau with our soul and publish it. */
import { buildChau, buildHeyThere } from '@nara/crypto'
import { TOPICS } from '@nara/protocol'
import type { Command } from 'commander'
import {
  addBrokerOptions,
  addIdentityOptions,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import { publishSigned } from '../signed-publish.js'

interface SayFlags {
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

export function registerSay(program: Command, ctx: CliContext): void {
  const say = program
    .command('say')
    .description('sign a hey_there or a chau with your soul and publish it (QoS 1, confirmed)')
    .addHelpText(
      'after',
      examples([
        ['nara say hey', 'announce yourself (naras answer with howdy)'],
        ['nara say chau', 'say goodbye (naras mark you OFFLINE)'],
      ]),
    )

  /** The two words: what each publishes, its topic and its examples. */
  const WORDS = [
    {
      word: 'hey',
      kind: 'hey_there',
      topic: TOPICS.heyThere,
      build: buildHeyThere,
      description: 'publish a signed hey_there on nara/plaza/hey_there',
      examples: [
        ['NARA_SOUL=... nara say hey', 'as the nara of that soul'],
        ['nara say hey --soul-file ~/.nara-soul --name lisa --json', 'explicit identity, JSON'],
      ],
    },
    {
      word: 'chau',
      kind: 'chau',
      topic: TOPICS.chau,
      build: buildChau,
      description: 'publish a signed chau on nara/plaza/chau',
      examples: [
        ['nara say chau', 'goodbye, as the nara of NARA_SOUL'],
        ['nara say chau --soul-file ~/.nara-soul --json', 'with a soul file, JSON'],
      ],
    },
  ] as const

  for (const w of WORDS) {
    addIdentityOptions(
      addBrokerOptions(
        say
          .command(w.word)
          .description(w.description)
          .option('--json', 'print the result as one JSON object')
          .option('--connect-timeout <seconds>', 'give up connecting after this long (default 15)'),
      ),
    )
      .addHelpText('after', examples(w.examples.map(([cmd, what]) => [cmd, what])))
      .action(async (flags: SayFlags) => {
        const settings = settingsFor(ctx, flags)
        ctx.exitCode = await publishSigned(
          ctx,
          settings,
          flags,
          (me, tsNs) => ({
            topic: w.topic,
            kind: w.kind,
            event: w.build(
              { name: me.name, publicKey: me.keypair.publicKey, naraId: me.naraId, tsNs },
              { name: me.name, seed: me.keypair.seed },
            ),
          }),
          (me) => `${w.kind} as ${me.name}`,
        )
      })
  }
}
