import { computeEventId } from '@nara/crypto/wire'
import type { Plaza } from '@nara/plaza'
import { encodeSyncEvent } from '@nara/protocol'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stopAgent,
} from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'

describe('checkpoint consensus with 7 agents and a shortened cadence', () => {
  let broker: MosquittoBroker
  let town: AgentProcess
  let mallory: Plaza

  beforeAll(async () => {
    broker = await startMosquitto()
    town = await spawnAgent({
      brokerUrl: broker.url,
      env: {
        NARA_MODE: 'town',
        NARA_TOWN_SIZE: '7',
        NARA_NEWSPAPER_PERIOD_S: '2',
        NARA_MISSING_AFTER_S: '20',
        NARA_CHECKPOINT_EVERY_S: '4',
        NARA_CHECKPOINT_CHECK_S: '1',
        NARA_CHECKPOINT_VOTE_WINDOW_S: '5',
      },
    })
    mallory = await startObserver(broker.url)
  }, 60_000)

  afterAll(async () => {
    await mallory?.stop()
    await stopAgent(town)
    await broker?.close()
  })

  it('a proposal gathers votes, and a final is published and accepted by the others', async () => {
    // A proposer records its final when it publishes it; the others hold it once it crossed the
    // broker and their plazas verified it. With every nara proposing every few seconds, a status
    // can show a final that is still on its way: wait for one the others hold. (Taking the first
    // nara with a final and asserting on its latest one failed under load, "expected 0 to be
    // greater than or equal to 5": with three busy loops beside the town, 1 status in 439 showed
    // the first proposer's latest final held by none of the others.) The bounds are generous:
    // with three busy loops beside it the town took 12-18 s to settle, 9 s without them.
    const heldBy = (st: StatusDoc, p: StatusDoc) =>
      st.naras.filter(
        (n: StatusDoc) =>
          n !== p && n.checkpoints.latest[p.me.name] === p.checkpoints.latest[p.me.name],
      ).length
    const settled = (st: StatusDoc) =>
      st.naras.find((p: StatusDoc) => p.checkpoints.finalsPublished >= 1 && heldBy(st, p) >= 5)
    const s = await town.waitFor(
      (st) =>
        st.naras.length === 7 &&
        st.naras.every((n: StatusDoc) => n.checkpoints?.finalsAccepted >= 1) &&
        settled(st) !== undefined,
      90_000,
    )
    const proposer = settled(s)
    const id = proposer.checkpoints.latest[proposer.me.name]
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(heldBy(s, proposer)).toBeGreaterThanOrEqual(5)
  }, 120_000)

  it('rejects a forged final: one voter listed twice, junk signatures', async () => {
    const before = await town.status()
    const victim = before.naras[0].me
    const latestBefore = before.naras.map(
      (n: StatusDoc) => n.checkpoints.latest[victim.name] ?? null,
    )
    const junk = `${'B'.repeat(86)}==`
    const other = before.naras[1].me.naraId
    const event = {
      id: '',
      ts: BigInt(Date.now()) * 1_000_000n,
      svc: 'checkpoint' as const,
      checkpoint: {
        version: 2,
        subject: victim.name,
        subject_id: victim.naraId,
        observation: { restarts: 0, total_uptime: 5, start_time: 1 },
        as_of_time: Math.floor(Date.now() / 1000),
        round: 1,
        voter_ids: [other, other, 'x1', 'x2', 'x3'],
        signatures: [junk, junk, junk, junk, junk],
      },
    }
    event.id = computeEventId(event as never)
    await mallory.publish('nara/checkpoint/final', encodeSyncEvent(event as never))
    const rejected = (n: StatusDoc) =>
      (n.drops['duplicate-voter'] ?? 0) + (n.drops['bad-signature'] ?? 0)
    const after = await town.waitFor(
      (st) => st.naras.slice(1).every((n: StatusDoc) => rejected(n) >= 1),
      60_000,
    )
    after.naras.forEach((n: StatusDoc, i: number) => {
      const latest = n.checkpoints.latest[victim.name] ?? null
      expect(latest).not.toBe(event.id)
      if (latestBefore[i] === null) expect(latest === null || latest !== event.id).toBe(true)
    })
  }, 60_000)
})
