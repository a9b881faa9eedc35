#!/usr/bin/env node
/**
 * Entry point, wiring only: `--help` / `--version` (`cli-args.ts`), then config -> one nara (MQTT_HOST set) or a local town (no broker
 * configured). SIGINT, SIGTERM and SIGHUP stop cleanly (every nara says chau, then disconnects;
 * exit 0) under an overall deadline; a second signal exits at once (`shutdown.ts`). Logs and the
 * town table survive a closed terminal or pipe (`safe-output.ts`).
 */
import type { Writable } from 'node:stream'
import { createAgent } from './agent.js'
import { parseCommandLine } from './cli-args.js'
import { systemClock } from './clock.js'
import {
  type AgentConfig,
  type BrokerConfig,
  ConfigError,
  configFromEnvironment,
} from './config.js'
import { settleWrites } from './identity-store.js'
import { lineRing } from './line-ring.js'
import { createLogger, type Logger } from './logger.js'
import { productionDeps } from './plaza-adapter.js'
import { createSafeSink, guardStdio } from './safe-output.js'
import { createShutdown, openResources, type Shutdown } from './shutdown.js'
import { reportStartFailure } from './start-failure.js'
import { createTown } from './town.js'
import { SHOW_SCRIPT } from './town-cadence.js'
import { createWebView, type WebView } from './web-view.js'

const stdio = guardStdio()
const sink = createSafeSink({ fd: 1 })
/** Writes what the logs still hold (bounded), then exits. */
const exit = (code: number): never => {
  sink.flushSync()
  process.exit(code)
}

/** Set once the log level is known: a failed start shows its stack at debug level. */
let showStacks = false

/** Strings no log line may hold: the broker password and the soul. */
type Secrets = readonly (string | undefined)[]

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
  const config = readConfig()
  if (config === undefined) return 2
  // Never written, whatever logs them: the broker password and the soul.
  const secrets = [config.broker?.password, config.soul]
  showStacks = isDebug(config)
  for (const warning of config.warnings) stdio.stderr(`nara: warning: ${warning}\n`)
  if (config.mode === 'single' && config.broker) return runNara(config, config.broker, secrets)
  return runTown(config, secrets)
}

/** The configuration, or undefined once what is wrong with it is said on stderr. */
function readConfig(): AgentConfig | undefined {
  try {
    return configFromEnvironment()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    stdio.stderr(`nara: ${err.message}\n`)
    return undefined
  }
}

const isDebug = (config: AgentConfig) =>
  config.log.level === 'debug' || config.log.level === 'trace'

function shutdownFor(config: AgentConfig, logger: Logger): Shutdown {
  return createShutdown({
    proc: process,
    clock: systemClock,
    logger,
    deadlineMs: config.stopDeadlineMs,
    exit,
    stderr: stdio.stderr,
    openResources: () => openResources(),
    // Debug mode: what still keeps the process alive after a stop (leaked timers, sockets...).
    reportOpenAfterStop: isDebug(config),
  })
}

/** Starts `runner`, waits for the first stop signal, then stops the page and `runner`. */
async function runUntilSignal(
  shutdown: Shutdown,
  web: WebView,
  runner: { start(): Promise<unknown>; stop(): Promise<unknown> },
): Promise<number> {
  await Promise.race([runner.start(), shutdown.requested])
  await shutdown.requested
  return shutdown.stop(async () => {
    await web.stop()
    await runner.stop()
  })
}

/** One nara against MQTT_HOST. */
async function runNara(
  config: AgentConfig,
  broker: BrokerConfig,
  secrets: Secrets,
): Promise<number> {
  const logger = createLogger({ ...config.log, destination: sink.stream, secrets })
  const shutdown = shutdownFor(config, logger)
  // The web page of the plaza on the status port, watching through the nara's receiver.
  const web = createWebView({ mode: 'nara', timings: config.timings })
  const agent = createAgent(
    {
      broker,
      dataDir: config.dataDir,
      chattiness: config.chattiness,
      timings: config.timings,
      http: { ...config.http, routes: web.routes },
      logger,
    },
    productionDeps({
      dataDir: config.dataDir,
      broker,
      name: config.name,
      soul: config.soul,
      logger,
      timings: config.timings,
      onReceiver: (receiver) => web.attach(receiver),
    }),
  )
  const code = await runUntilSignal(shutdown, web, agent)
  logger.info({}, 'stopped')
  return code
}

/** A town: its own broker (the show) or MQTT_HOST with NARA_MODE=town. */
async function runTown(config: AgentConfig, secrets: Secrets): Promise<number> {
  const tty = Boolean(process.stdout.isTTY)
  const ring = lineRing(14)
  const logger = townLogger(config, secrets, tty, ring.stream)
  const shutdown = shutdownFor(config, logger)
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
  return runUntilSignal(shutdown, web, town)
}

/**
 * On a terminal the screen shows the town's event feed; the log adds its warnings (and, at
 * debug level, everything) under it, through `ring`. Without a terminal: JSON lines only.
 */
function townLogger(config: AgentConfig, secrets: Secrets, tty: boolean, ring: Writable): Logger {
  if (!tty) return createLogger({ ...config.log, destination: sink.stream, secrets })
  return createLogger({
    secrets,
    level: config.log.level === 'info' ? 'warn' : config.log.level,
    pretty: true,
    color: config.log.color,
    destination: ring,
  })
}

// What the operator can fix is one line and exit 2 (the stack at debug level); a bug, exit 1.
/** Lets the state files' writes in flight end (at most 2 s), then exits. */
const end = (code: number): Promise<never> => settleWrites(2000).then(() => exit(code))
main().then(end, (err: unknown) => end(reportStartFailure(err, stdio.stderr, showStacks)))
