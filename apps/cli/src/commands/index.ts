/** Registers every `nara` sub-command, in the order `--help` lists them. */
import type { Command } from 'commander'
import type { CliContext } from '../context.js'

export function registerCommands(_program: Command, _ctx: CliContext): void {}
