/**
 * `nara completion bash|zsh|fish`: a shell completion script, generated from the command tree
 * itself (every command, sub-command and flag), so it never falls behind the commands.
 */
import type { Command } from 'commander'
import { type CliContext, examples } from '../context.js'
import { ExitCode, UsageError } from '../errors.js'

const SHELLS = ['bash', 'zsh', 'fish'] as const
type Shell = (typeof SHELLS)[number]

/** One command path (`""` for the top, `"soul"`, `"soul new"`) with its words. */
interface Node {
  path: string
  subcommands: string[]
  flags: string[]
}

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .argument('<shell>', `one of ${SHELLS.join(', ')}`)
    .addHelpText(
      'after',
      examples([
        ['nara completion bash > ~/.local/share/bash-completion/completions/nara', 'bash'],
        ['nara completion zsh > ~/.zfunc/_nara', 'zsh (~/.zfunc in fpath; restart the shell)'],
        ['nara completion fish > ~/.config/fish/completions/nara.fish', 'fish'],
      ]),
    )
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`unknown shell "${shell}"`, `use one of ${SHELLS.join(', ')}`)
      }
      ctx.io.stdout.write(completionScript(program, shell as Shell))
      ctx.exitCode = ExitCode.ok
    })
}

function nodes(command: Command, prefix: string[] = []): Node[] {
  const flags = command.options.flatMap((o) => [o.long, o.short].filter((f) => f !== undefined))
  const own: Node = {
    path: prefix.join(' '),
    subcommands: command.commands.map((c) => c.name()),
    flags: [...flags, '--help'],
  }
  return [own, ...command.commands.flatMap((c) => nodes(c, [...prefix, c.name()]))]
}

/** The completion script for `shell`, from the commands registered on `program`. */
export function completionScript(program: Command, shell: Shell): string {
  const all = nodes(program)
  if (shell === 'bash') return bashScript(all)
  if (shell === 'zsh')
    return `#compdef nara\nautoload -U bashcompinit && bashcompinit\n${bashScript(all)}`
  return fishScript(all)
}

/** Bash: the words typed so far (without flags) pick the node; its sub-commands and flags complete. */
function bashScript(all: Node[]): string {
  const cases = all
    .map((n) => `    "${n.path}") words="${[...n.subcommands, ...n.flags].join(' ')}" ;;`)
    .join('\n')
  return `# nara completion for bash (nara completion bash)
_nara() {
  local cur path="" i w words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -*) ;;
      *) case " $(_nara_subcommands "$path") " in
           *" $w "*) path="\${path:+$path }$w" ;;
         esac ;;
    esac
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_nara_subcommands() {
  case "$1" in
${all.map((n) => `    "${n.path}") echo "${n.subcommands.join(' ')}" ;;`).join('\n')}
  esac
}
complete -F _nara nara
`
}

function fishScript(all: Node[]): string {
  const lines = ['# nara completion for fish (nara completion fish)', 'complete -c nara -f']
  for (const n of all) {
    const words = n.path === '' ? [] : n.path.split(' ')
    const condition =
      words.length === 0
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${words[words.length - 1]}`
    for (const sub of n.subcommands) lines.push(`complete -c nara -n '${condition}' -a ${sub}`)
    for (const flag of n.flags) {
      const spec = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`
      lines.push(`complete -c nara -n '${condition}' ${spec}`)
    }
  }
  return `${lines.join('\n')}\n`
}
