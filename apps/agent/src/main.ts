#!/usr/bin/env node
/**
 * Entry point, wiring only: `--help` / `--version` (`cli-args.ts`), then config -> one nara (MQTT_HOST set) or a local town (no broker
 * configured). SIGINT, SIGTERM and SIGHUP stop cleanly (every nara says chau, then disconnects;
 * exit 0) under an overall deadline; a second signal exits at once (`shutdown.ts`). Logs and the
 * town table survive a closed terminal or pipe (`safe-output.ts`).
 */
import { Writable } from 'node:stream'
import { createAgent } from './agent.js'
import { parseCommandLine } from './cli-args.js'
import { systemClock } from './clock.js'
import { ConfigError, configFromEnvironment } from './config.js'
import { createLogger, type Logger } from './logger.js'
import { productionDeps } from './plaza-adapter.js'
import { createSafeSink, guardStdio } from './safe-output.js'
import { createShutdown, openResources } from './shutdown.js'
import { reportStartFailure } from './start-failure.js'
import { createTown } from './town.js'
import { SHOW_SCRIPT } from './town-cadence.js'
import { createWebView } from './web-view.js'

const stdio = guardStdio()
const sink = createSafeSink({ fd: 1 })
/** Writes what the logs still hold (bounded), then exits. */
const exit = (code: number): never => {
  sink.flushSync()
  process.exit(code)
}

/** Keeps the last `max` log lines (pretty-printed) to show under the town table. */
function lineRing(max: number) {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue
        lines.push(line)
        if (lines.length > max) lines.shift()
      }
      callback()
    },
  })
  return { stream, lines: () => lines.slice() }
}

/** Set once the log level is known: a failed start shows its stack at debug level. */
let showStacks = false

async function main(): Promise<number> {
  // --help and --version print and exit 0 before anything else (no config, no connection).
  const line = parseCommandLine(process.argv.slice(2))
  if (line.action === 'print') {
    process.stdout.write(line.text)
    return 0
  }
  if (line.action === 'usage-error') {
    stdio.stderr(`nara: ${line.message}`)
    return 2
  }
  let config: ReturnType<typeof configFromEnvironment>
  try {
    config = configFromEnvironment()
  } catch (err) {
    if (err instanceof ConfigError) {
      stdio.stderr(`nara: ${err.message}\n`)
      return 2
    }
    throw err
  }

  // Never written, whatever logs them: the broker password and the soul.
  const secrets = [config.broker?.password, config.soul]
  const debug = config.log.level === 'debug' || config.log.level === 'trace'
  showStacks = debug
  for (const warning of config.warnings) stdio.stderr(`nara: warning: ${warning}\n`)
  const shutdownFor = (logger: Logger) =>
    createShutdown({
      proc: process,
      clock: systemClock,
      logger,
      deadlineMs: config.stopDeadlineMs,
      exit,
      stderr: stdio.stderr,
      openResources: () => openResources(),
      // Debug mode: what still keeps the process alive after a stop (leaked timers, sockets...).
      reportOpenAfterStop: debug,
    })

  if (config.mode === 'single' && config.broker) {
    // One nara against MQTT_HOST.
    const logger = createLogger({ ...config.log, destination: sink.stream, secrets })
    const shutdown = shutdownFor(logger)
    // The web page of the plaza on the status port, watching through the nara's receiver.
    const web = createWebView({ mode: 'nara', timings: config.timings })
    const agent = createAgent(
      {
        broker: config.broker,
        dataDir: config.dataDir,
        chattiness: config.chattiness,
        timings: config.timings,
        http: { ...config.http, routes: web.routes },
        logger,
      },
      productionDeps({
        dataDir: config.dataDir,
        broker: config.broker,
        name: config.name,
        soul: config.soul,
        logger,
        timings: config.timings,
        onReceiver: (receiver) => web.attach(receiver),
      }),
    )
    await Promise.race([agent.start(), shutdown.requested])
    await shutdown.requested
    const code = await shutdown.stop(async () => {
      await web.stop()
      await agent.stop()
    })
    logger.info({}, 'stopped')
    return code
  }

  const tty = Boolean(process.stdout.isTTY)
  // On a terminal the screen shows the town's event feed; the log adds its warnings (and, at
  // debug level, everything) under it. Without a terminal: JSON lines only.
  const ring = lineRing(14)
  const logger = tty
    ? createLogger({
        secrets,
        level: config.log.level === 'info' ? 'warn' : config.log.level,
        pretty: true,
        color: config.log.color,
        destination: ring.stream as never,
      })
    : createLogger({ ...config.log, destination: sink.stream, secrets })
  const shutdown = shutdownFor(logger)
  const web = createWebView({ mode: 'town', timings: config.timings })
  const town = createTown(
    {
      size: config.town.size,
      joinRampMs: config.town.joinRampMs,
      dataDir: config.dataDir,
      broker: config.broker,
      // Town mode is lively: chattiness 100 (a newspaper every 30 s) unless overridden.
      chattiness: config.chattiness ?? 100,
      // The default town (its own broker) is a show: shortened cadences, said in its header.
      show: config.broker ? undefined : SHOW_SCRIPT,
      timings: {
        ...config.timings,
        joinJitterMaxMs: Math.min(config.timings.joinJitterMaxMs, 3000),
      },
      http: { ...config.http, routes: web.routes },
      // The page watches through the town's receiver: every message verified once.
      onReceiver: (receiver) => web.attach(receiver),
      logger,
      out: process.stdout,
      outClosed: stdio.stdoutClosed,
      color: tty && config.log.color,
      recentLines: ring.lines,
    },
    // One receiver for the town (every message verified once), one speaker per nara.
    (dataDir, broker, receiver) =>
      productionDeps({
        dataDir,
        broker,
        name: undefined,
        soul: undefined,
        logger,
        timings: config.timings,
        receiver,
      }),
  )
  await Promise.race([town.start(), shutdown.requested])
  await shutdown.requested
  return shutdown.stop(async () => {
    await web.stop()
    await town.stop()
  })
}

// What the operator can fix is one line and exit 2 (the stack at debug level); a bug, exit 1.
main().then(exit, (err: unknown) => exit(reportStartFailure(err, stdio.stderr, showStacks)))
