/**
 * The fuzz thread: builds the engine once, then runs the ranges the watchdog sends, writing the
 * index of the input in progress to the shared `progress` array so a stuck input shows.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { FuzzEngine } from './engine.js'

const port = parentPort
if (port === null) throw new Error('fuzz-worker.ts runs as a worker thread')
const progress = new Int32Array(workerData.progress as SharedArrayBuffer)
const engine = new FuzzEngine()
port.postMessage({
  type: 'ready',
  originalsAccepted: engine.originalsAccepted,
  references: engine.references.size,
  corpus: engine.corpus.length,
})
const hangAt = workerData.simulateHangAt as number | undefined
port.on('message', (m: { seed: number; from: number; to: number }) => {
  port.postMessage({ type: 'done', counts: engine.run(m.seed, m.from, m.to, progress, hangAt) })
})
