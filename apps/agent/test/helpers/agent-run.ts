/**
 * Runs the built agent (`dist/main.js`) with exactly the given environment (plus PATH and HOME)
 * and collects its exit code and output, for the start-up paths that end the process.
 */
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { MAIN } from './agent-process.js'

export interface AgentRun {
  code: number | null
  stdout: string
  stderr: string
}

export function runAgent(env: Record<string, string>): Promise<AgentRun> {
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  proc.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  return new Promise((resolve) => proc.once('close', (code) => resolve({ code, stdout, stderr })))
}

/** The lines of a text, without the empty last one. */
export const linesOf = (text: string) => text.split('\n').filter((l) => l !== '')
