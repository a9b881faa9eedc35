/**
 * Entry point, wiring only: config -> one nara (MQTT_HOST set) or a local town (no broker
 * configured). One AbortController is wired to SIGINT/SIGTERM: the first signal stops cleanly
 * (every nara says chau, then disconnects; exit 0), a second one exits at once.
 */
import { Writable } from 'node:stream'
import { parseSoul } from '@nara/crypto'
import { createDecodeCache, createSignatureCache } from '@nara/plaza'
import { createAgent } from './agent.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { productionDeps } from './plaza-adapter.js'
import { createTown } from './town.js'

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

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env, {
      isValidSoul: (soul) => {
        try {
          parseSoul(soul)
          return true
        } catch {
          return false
        }
      },
    })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`nara: ${err.message}\n`)
      return 2
    }
    throw err
  }

  const controller = new AbortController()
  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1
    if (signals > 1) {
      process.stderr.write(`nara: second ${signal}, exiting at once\n`)
      process.exit(130)
    }
    controller.abort(signal)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const aborted = new Promise<void>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve()),
  )

  if (config.mode === 'single' && config.broker) {
    // One nara against MQTT_HOST.
    const logger = createLogger(config.log)
    const agent = createAgent(
      {
        broker: config.broker,
        dataDir: config.dataDir,
        chattiness: config.chattiness,
        timings: config.timings,
        http: config.http,
        logger,
      },
      productionDeps({
        dataDir: config.dataDir,
        broker: config.broker,
        name: config.name,
        soul: config.soul,
        logger,
        timings: config.timings,
      }),
    )
    await Promise.race([agent.start(), aborted])
    await aborted
    await agent.stop()
    logger.info({}, 'stopped')
    return 0
  }

  const tty = Boolean(process.stdout.isTTY)
  const ring = lineRing(14)
  const logger = tty
    ? createLogger({
        level: config.log.level,
        pretty: true,
        color: config.log.color,
        destination: ring.stream as never,
      })
    : createLogger(config.log)
  // The broker hands the same bytes to every nara of this process: each message is decoded and
  // its signature checked once, in caches shared by the town (key pins stay per nara).
  const signatureCache = createSignatureCache({ maxEntries: 16_384 })
  const decodeCache = createDecodeCache({ maxEntries: 2048 })
  const town = createTown(
    {
      size: config.town.size,
      joinRampMs: config.town.joinRampMs,
      sharedStats: () => ({
        signatureCache: signatureCache.stats(),
        decodeCache: decodeCache.stats(),
      }),
      dataDir: config.dataDir,
      broker: config.broker,
      // Town mode is lively: chattiness 100 (a newspaper every 30 s) unless overridden.
      chattiness: config.chattiness ?? 100,
      timings: {
        ...config.timings,
        joinJitterMaxMs: Math.min(config.timings.joinJitterMaxMs, 3000),
      },
      http: config.http,
      logger,
      out: process.stdout,
      color: tty && config.log.color,
      recentLines: ring.lines,
    },
    (dataDir, broker) =>
      productionDeps({
        dataDir,
        broker,
        name: undefined,
        soul: undefined,
        logger,
        timings: config.timings,
        keyringSaveDelayMs: 5000,
        plazaOverrides: { signatureCache, decodeCache },
      }),
  )
  await Promise.race([town.start(), aborted])
  await aborted
  await town.stop()
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`nara: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
