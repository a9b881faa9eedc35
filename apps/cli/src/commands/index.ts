/** Registers every `nara` sub-command, in the order `--help` lists them. */
import type { Command } from 'commander'
import type { CliContext } from '../context.js'
import { registerDoctor } from './doctor.js'
import { registerKeyring } from './keyring.js'
import { registerSoul } from './soul.js'
import { registerVerify } from './verify.js'

export function registerCommands(program: Command, ctx: CliContext): void {
  registerVerify(program, ctx)
  registerSoul(program, ctx)
  registerKeyring(program, ctx)
  registerDoctor(program, ctx)
}
