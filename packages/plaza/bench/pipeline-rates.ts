/**
 * The bench's pipeline runs (see `index.ts`): preloaded through mosquitto, fed directly, through
 * `createPlaza` with a live publisher (the latency rows are in `latency.ts`).
 */

import mqtt from 'mqtt'
import { parseBrokerUrl } from '../src/broker-url.js'
import { Counters } from '../src/counters.js'
import { createInboundPipeline } from '../src/inbound-pipeline.js'
import { createKeyring, createPlaza, type Plaza, silentLogger, systemClock } from '../src/index.js'
import { connectOnce } from '../src/mqtt-connection.js'
import { createVerifyPool } from '../src/verify-pool.js'
import { alice, backend, SOULS } from './payloads.js'
import { cpuNowUs, processCpuUs, publishFromWorker } from './raw-rates.js'

/** SyncEvents per run (newspapers: half); memories and backlogs are sized for them. */
const sizeArg = Number(process.argv[2])
export const N_EVENTS = Number.isInteger(sizeArg) && sizeArg > 0 ? sizeArg : 20_000

/** A pipeline wired like `createPlaza` wires it (fastest backend, pool helped by the caller). */
function benchPipeline(verifyWorkers: number, expected: number, onAll: () => void) {
  const keyring = createKeyring()
  keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  const pool =
    verifyWorkers > 0
      ? createVerifyPool({ workers: verifyWorkers, inlineBackend: backend })
      : undefined
  const counters = new Counters()
  const state = { accepted: 0, last: 0 }
  const pipeline = createInboundPipeline({
    me: 'bob',
    keyring,
    clock: systemClock,
    counters,
    logger: silentLogger,
    maxPayloadBytes: 64 * 1024,
    rateLimit: false,
    freshnessWindowMs: 3_600_000,
    dedupeSize: 4 * N_EVENTS,
    dedupeSizePerSender: 4 * N_EVENTS,
    acceptUnsigned: new Set(),
    backend,
    pool,
    maxPendingVerifications: 10 * N_EVENTS,
    holdInlineChecks: true,
    deliver: () => {
      state.accepted++
      state.last = performance.now()
      if (state.accepted === expected) onAll()
    },
  })
  return { pipeline, pool, counters, state }
}

/**
 * Preloaded drain through mosquitto (see the header): subscribe, stop reading, publish the
 * batch, wait until a reading probe got all of it, then resume and time the drain. With
 * `brokerPid`, the broker's CPU during the drain is measured too (it shares the machine).
 */
export async function pipelineRatePreloaded(
  url: string,
  verifyWorkers: number,
  topic: string,
  payloads: Buffer[],
  brokerPid?: number,
) {
  let resolveDone: () => void = () => {}
  let cpuEnd = 0
  let brokerEnd = Number.NaN
  const brokerCpu = () => (brokerPid === undefined ? Number.NaN : processCpuUs(brokerPid))
  const done = new Promise<void>((r) => {
    resolveDone = () => {
      cpuEnd = cpuNowUs()
      brokerEnd = brokerCpu()
      r()
    }
  })
  const { pipeline, pool, counters, state } = benchPipeline(
    verifyWorkers,
    payloads.length,
    resolveDone,
  )
  await pool?.start()
  const client = await connectOnce({
    address: parseBrokerUrl(url),
    clientId: `bench-preload-${verifyWorkers}-${Date.now()}`,
    keepaliveSeconds: 120,
    connectTimeoutMs: 5000,
    signal: new AbortController().signal,
    onMessage: (t, p) => pipeline.handle(t, p),
  })
  await client.subscribe([topic])
  client.setReading(false)
  const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  await probe.subscribeAsync(topic)
  let probed = 0
  const probeDone = new Promise<void>((resolve) => {
    probe.on('message', () => {
      if (++probed === payloads.length) resolve()
    })
  })
  await publishFromWorker(url, topic, payloads)
  await Promise.race([probeDone, new Promise((r) => setTimeout(r, 60_000))])
  await probe.endAsync()
  const cpuStart = cpuNowUs()
  const brokerStart = brokerCpu()
  const start = performance.now()
  client.setReading(true)
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))])
  const rate = state.accepted / ((state.last - start) / 1000)
  const inline = pool?.verifiedInline ?? 0
  await client.close(true)
  await pool?.stop()
  return {
    rate,
    /** CPU µs per verified message, every thread of this process (0 if not all arrived). */
    cpuUs: cpuEnd > 0 ? (cpuEnd - cpuStart) / state.accepted : 0,
    /** The broker's CPU µs per message during the drain (NaN when not measured). */
    brokerCpuUs: (brokerEnd - brokerStart) / state.accepted,
    accepted: state.accepted,
    probed,
    inlineShare: verifyWorkers > 0 ? inline / Math.max(1, state.accepted) : 1,
    dropped: counters.snapshot().dropped,
  }
}

export async function benchPlaza(url: string, verifyWorkers: number): Promise<Plaza> {
  const plaza = createPlaza(
    {
      brokerUrl: url,
      identity: { name: 'bob', soul: SOULS.bob },
      heyThereOnConnect: false,
      rateLimit: false,
      verifyWorkers,
      dedupeSize: 4 * N_EVENTS,
      dedupeSizePerSender: 4 * N_EVENTS,
      maxPendingVerifications: 10 * N_EVENTS,
    },
    { logger: silentLogger },
  )
  plaza.keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  await plaza.start()
  await plaza.waitConnected()
  return plaza
}

export async function pipelineRateViaBroker(
  url: string,
  verifyWorkers: number,
  topic: string,
  kind: 'social' | 'newspaper',
  payloads: Buffer[],
) {
  const plaza = await benchPlaza(url, verifyWorkers)
  let accepted = 0
  let first = 0
  let last = 0
  const done = new Promise<void>((resolve) => {
    plaza.on(kind, () => {
      if (accepted === 0) first = performance.now()
      accepted++
      last = performance.now()
      if (accepted === payloads.length) resolve()
    })
  })
  await publishFromWorker(url, topic, payloads)
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))])
  const counters = plaza.counters()
  await plaza.stop()
  return { rate: (accepted - 1) / ((last - first) / 1000), accepted, dropped: counters.dropped }
}

export async function pipelineRateDirect(verifyWorkers: number, topic: string, payloads: Buffer[]) {
  let resolveDone: () => void = () => {}
  const done = new Promise<void>((r) => {
    resolveDone = r
  })
  const { pipeline, pool, counters, state } = benchPipeline(
    verifyWorkers,
    payloads.length,
    resolveDone,
  )
  await pool?.start()
  const start = performance.now()
  // Feed in slices, one turn each, as socket reads come: worker answers flow between them and
  // the held inline checks run at the end of each.
  for (let i = 0; i < payloads.length; i += 256) {
    for (let j = i; j < Math.min(i + 256, payloads.length); j++)
      pipeline.handle(topic, payloads[j] as Buffer)
    await new Promise((r) => setImmediate(r))
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))])
  const rate = state.accepted / ((performance.now() - start) / 1000)
  await pool?.stop()
  return { rate, accepted: state.accepted, dropped: counters.snapshot().dropped }
}
