/**
 * The `nara` program: one commander root with one sub-command per file under `commands/`.
 * `runCli` parses, runs the command, reports failures on stderr and returns the exit code;
 * it never calls `process.exit`, so tests can drive it in-process.
 */
import { Command, CommanderError } from 'commander'
import { registerCommands } from './commands/index.js'
import type { CliContext } from './context.js'
import { examples } from './context.js'
import { CliError, ExitCode, UnexpectedError } from './errors.js'
import { printError } from './output.js'

export function createProgram(ctx: CliContext): Command {
  const program = new Command('nara')
    .description(
      'nara: the plaza from a terminal. Verify messages, inspect souls, watch the plaza.',
    )
    .version(ctx.version, '-V, --version', 'print the version of nara')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: (s, write) => write(ctx.io.colorErr.red(s)),
    })
    .exitOverride()
    .addHelpText(
      'after',
      examples([
        ['nara soul new', 'make a fresh soul and a quirky name'],
        ['nara verify --topic nara/plaza/hey_there < msg.json', 'check one captured message'],
        ['nara who', 'who is on the plaza right now'],
        ['nara doctor', 'check the broker settings step by step'],
      ]),
    )
  registerCommands(program, ctx)
  // Sub-commands inherit output routing and error handling.
  for (const command of allCommands(program)) {
    command.exitOverride().configureOutput(program.configureOutput())
  }
  return program
}

function* allCommands(command: Command): Generator<Command> {
  for (const sub of command.commands) {
    yield sub
    yield* allCommands(sub)
  }
}

/** Runs `nara` with the given argv (node-style: [node, script, ...args]); returns the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = createProgram(ctx)
  try {
    await program.parseAsync(argv as string[])
    return ctx.exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; parse errors were already printed.
      if (error.exitCode === 0) return ExitCode.ok
      return ExitCode.usage
    }
    const failure = error instanceof CliError ? error : new UnexpectedError(error)
    printError(ctx.io, failure)
    return failure.exitCode
  }
}
