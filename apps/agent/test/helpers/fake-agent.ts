/**
 * One agent named `alice` on a fake plaza with a fake clock: emit plaza events at it, advance
 * time, read its calls. For unit tests of the agent's reactions.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HowdyEvent, NaraStatus } from '@nara/protocol'
import { pino } from 'pino'
import { type Agent, type AgentOptions, createAgent } from '../../src/agent.js'
import { loadConfig } from '../../src/config.js'
import { loadIdentity } from '../../src/identity-store.js'
import type { HowdyDraft } from '../../src/plaza-port.js'
import { type FakeClock, fakeClock, scriptedRandom } from './fake-clock.js'
import { type FakePlaza, fakePlaza } from './fake-plaza.js'

export interface FakeAgent {
  agent: Agent
  plaza: FakePlaza
  clock: FakeClock
  /** A verified hey_there from `from`, created now. */
  heyThere(from: string): void
  /** A verified newspaper from `from`. */
  newspaper(from: string): void
  /** A verified howdy. */
  howdy(h: Pick<HowdyEvent, 'From' | 'To'> & Partial<HowdyEvent>): void
  /** The howdys this agent published. */
  howdysSent(): HowdyDraft[]
}

export interface FakeAgentExtra {
  /** Collects the agent's log lines (debug level); silent otherwise. */
  logs?: string[]
  createPlaza?: () => Promise<FakePlaza>
  signal?: AbortSignal
  options?: Partial<Pick<AgentOptions, 'howdyAnswers' | 'neighboursMax'>>
}

/** Alice on a fake plaza and a fake clock, not started. */
export function fakeAgentParts(env: Record<string, string> = {}, extra: FakeAgentExtra = {}) {
  const clock = fakeClock()
  const plaza = fakePlaza({ clock, random: scriptedRandom(0.5) })
  const logs = extra.logs
  const logger = logs
    ? pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) })
    : pino({ level: 'silent' })
  const dataDir = mkdtempSync(join(tmpdir(), 'nara-agent-'))
  const config = loadConfig({
    MQTT_HOST: 'mqtt://127.0.0.1:1',
    NARA_ID: 'alice',
    NARA_JOIN_JITTER_MAX_MS: '1000',
    ...env,
  })
  const agent = createAgent(
    {
      broker: config.broker!,
      dataDir,
      chattiness: 100,
      timings: config.timings,
      http: undefined,
      logger,
      ...(extra.signal ? { signal: extra.signal } : {}),
      ...extra.options,
    },
    {
      loadIdentity: () => loadIdentity({ dataDir, name: 'alice' }),
      createPlaza:
        extra.createPlaza ??
        (async (_identity, join) => {
          plaza.joinJitterMaxMs = join.jitterMaxMs
          return plaza
        }),
      describe: () => ({
        flair: '💎',
        personality: { Agreeableness: 1, Sociability: 2, Chill: 3 },
      }),
      signProposal: () => 'sig',
      clock,
      random: scriptedRandom(0.5),
    },
  )
  return { clock, plaza, agent }
}

/** Starts alice and lets its join hey_there and first newspaper go out. */
export async function startFakeAgent(
  env: Record<string, string> = {},
  options: FakeAgentExtra['options'] = {},
): Promise<FakeAgent> {
  const { clock, plaza, agent } = fakeAgentParts(env, { options })
  await agent.start()
  clock.advance(1000)
  // `published` follows each publish a microtask later, as with the real plaza.
  await Promise.resolve()
  await Promise.resolve()
  const ns = () => BigInt(clock.now()) * 1_000_000n
  return {
    agent,
    plaza,
    clock,
    heyThere(from) {
      plaza.emit('hey_there', {
        message: {
          id: `ht-${from}-${clock.now()}`,
          ts: ns(),
          svc: 'hey-there',
          emitter: from,
          sig: 's',
          hey_there: { From: from, PublicKey: `K-${from}`, MeshIP: '', ID: '', Signature: '' },
        } as never,
      })
    },
    newspaper(from) {
      plaza.emit('newspaper', {
        from,
        status: { Version: '0.2.0-ts', PublicKey: `K-${from}` } as NaraStatus,
        nameProof: 'signature',
      })
    },
    howdy(h) {
      plaza.emit('howdy', {
        message: {
          Seq: 1,
          You: {},
          Neighbors: null,
          Me: { Version: '0.2.0-ts' } as NaraStatus,
          Signature: 's',
          ...h,
        } as HowdyEvent,
      })
    },
    howdysSent: () =>
      plaza.calls.filter((c) => c.method === 'publishHowdy').map((c) => c.arg as HowdyDraft),
  }
}
