#!/usr/bin/env node
/**
 * Entry point of the `nara` command: wiring only. Takes the environment snapshot, builds the I/O,
 * wires SIGINT/SIGTERM to one abort controller, runs the CLI, and sets the exit code.
 */
import { createRequire } from 'node:module'
import { runCli } from './cli.js'
import { readEnvironment } from './config.js'
import { createIo } from './output.js'

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }
const env = readEnvironment()
const controller = new AbortController()
const stop = () => {
  if (controller.signal.aborted) process.exit(130)
  controller.abort()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
// Writing into a closed pipe (`nara watch | head`) is a normal way to stop.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
})

const io = createIo({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  noColor: env.NO_COLOR !== undefined,
})
process.exitCode = await runCli(process.argv, {
  io,
  env,
  version,
  signal: controller.signal,
  exitCode: 0,
})
process.off('SIGINT', stop)
process.off('SIGTERM', stop)
