/**
 * @packageDocumentation
 *
 * `@nara/plaza/testing`: fakes for tests of code that uses the plaza, never needed in
 * production. Time and chance are injected (`deps.clock`, `deps.random`), so a test drives
 * them: a manual clock that only moves when told to, a random source that returns scripted
 * values, and a logger that records every line.
 *
 * @example
 * ```ts
 * import { createPlaza } from '@nara/plaza'
 * import { createManualClock, recordingLogger, scriptedRandom } from '@nara/plaza/testing'
 *
 * declare const soul: string
 * const clock = createManualClock()
 * const logger = recordingLogger()
 * const plaza = createPlaza(
 *   { brokerUrl: 'mqtt://127.0.0.1:1883', identity: { name: 'blue-jay', soul } },
 *   { clock, random: scriptedRandom([0.5]), logger },
 * )
 * plaza.on('hey-there-scheduled', ({ delayMs }) => clock.advance(delayMs))
 * await plaza.start()
 * ```
 */

export { createManualClock, type ManualClock, type PendingTimer } from './manual-clock.js'
export { type LogLine, type RecordingLogger, recordingLogger } from './recording-logger.js'
export { type ScriptedRandom, scriptedRandom } from './scripted-random.js'
