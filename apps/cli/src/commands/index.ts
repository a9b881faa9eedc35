/** Registers every `nara` sub-command, in the order `--help` lists them. */
import type { Command } from 'commander'
import type { CliContext } from '../context.js'
import { registerCompletion } from './completion.js'
import { registerDoctor } from './doctor.js'
import { registerKeyring } from './keyring.js'
import { registerSay } from './say.js'
import { registerSoul } from './soul.js'
import { registerStatus } from './status.js'
import { registerTease } from './tease.js'
import { registerVerify } from './verify.js'
import { registerWatch } from './watch.js'
import { registerWeb } from './web.js'
import { registerWho } from './who.js'

export function registerCommands(program: Command, ctx: CliContext): void {
  registerWatch(program, ctx)
  registerWho(program, ctx)
  registerWeb(program, ctx)
  registerTease(program, ctx)
  registerSay(program, ctx)
  registerVerify(program, ctx)
  registerSoul(program, ctx)
  registerKeyring(program, ctx)
  registerStatus(program, ctx)
  registerDoctor(program, ctx)
  registerCompletion(program, ctx)
}
