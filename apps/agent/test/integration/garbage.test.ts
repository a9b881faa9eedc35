import type { Plaza } from '@nara/plaza'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stopAgent,
} from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'

const JUNK_SIG = `${'A'.repeat(86)}==`
const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0)

describe('malformed and forged messages on every topic while a town runs', () => {
  let broker: MosquittoBroker
  let town: AgentProcess
  let mallory: Plaza

  beforeAll(async () => {
    broker = await startMosquitto()
    town = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_MODE: 'town', NARA_TOWN_SIZE: '3' },
    })
    await town.waitFor(
      (s) => s.naras.length === 3 && s.naras.every((n: StatusDoc) => n.counts.ONLINE === 2),
    )
    mallory = await startObserver(broker.url)
  }, 60_000)

  afterAll(async () => {
    await mallory?.stop()
    await stopAgent(town)
    await broker?.close()
  })

  it('crashes nothing and counts every drop in /status', async () => {
    const before = await town.status()
    const victim = before.naras[0].me
    const dropsBefore = before.naras.map((n: StatusDoc) => sum(n.drops))
    const key = mallory.identity.publicKeyBase64
    const ts = `${BigInt(Date.now()) * 1_000_000n}`
    const status = `{"LicensePlate":"","Flair":"","HostStats":{"Uptime":1,"LoadAvg":0,"MemAllocMB":0,"MemSysMB":0,"MemHeapMB":0,"MemStackMB":0,"NumGoroutines":0,"NumGC":0,"ProcCPUPercent":0},"Chattiness":1,"Buzz":1,"Observations":null,"Trend":"","TrendEmoji":"","Personality":{"Agreeableness":1,"Sociability":1,"Chill":1},"Aura":{"primary":"","secondary":""},"Version":"0.2.0","PublicUrl":"","PublicKey":"${key}","ID":"${victim.naraId}","MeshEnabled":false,"MeshIP":""}`
    const attestation = `"version":2,"subject":"${victim.name}","subject_id":"${victim.naraId}","observation":{"restarts":1},"attester":"${victim.name}","attester_id":"${victim.naraId}","as_of_time":${Math.floor(Date.now() / 1000)},"signature":"${JUNK_SIG}"`
    const forged: Array<[string, string]> = [
      [
        'nara/plaza/hey_there',
        `{"id":"${'0'.repeat(32)}","ts":${ts},"svc":"hey-there","emitter":"${victim.name}","sig":"${JUNK_SIG}","hey_there":{"From":"${victim.name}","PublicKey":"${key}","MeshIP":"","ID":"","Signature":""}}`,
      ],
      [
        'nara/plaza/chau',
        `{"id":"${'1'.repeat(32)}","ts":${ts},"svc":"chau","emitter":"${victim.name}","sig":"${JUNK_SIG}","chau":{"From":"${victim.name}","PublicKey":"${key}","ID":"","Signature":""}}`,
      ],
      [
        'nara/plaza/howdy',
        `{"From":"${victim.name}","To":"someone","Seq":1,"You":{},"Neighbors":null,"Me":${status},"Signature":"${JUNK_SIG}"}`,
      ],
      [
        'nara/plaza/social',
        `{"id":"${'2'.repeat(32)}","ts":${ts},"svc":"social","emitter":"${victim.name}","sig":"${JUNK_SIG}","social":{"type":"tease","actor":"${victim.name}","target":"x","reason":"random"}}`,
      ],
      [
        `nara/newspaper/${victim.name}`,
        `{"From":"${victim.name}","Status":${status},"Signature":"${JUNK_SIG}"}`,
      ],
      ['nara/checkpoint/propose', `{${attestation},"round":1}`],
      ['nara/checkpoint/vote', `{${attestation},"proposal_ts":1,"round":1,"approved":true}`],
      [
        'nara/checkpoint/final',
        `{"id":"${'3'.repeat(32)}","ts":${ts},"svc":"checkpoint","checkpoint":{"version":2,"subject":"${victim.name}","subject_id":"${victim.naraId}","observation":{},"as_of_time":5,"round":1,"voter_ids":["${victim.naraId}","${victim.naraId}","a","b","c"],"signatures":["${JUNK_SIG}","${JUNK_SIG}","${JUNK_SIG}","${JUNK_SIG}","${JUNK_SIG}"]}}`,
      ],
    ]
    const topics = [
      'nara/plaza/hey_there',
      'nara/plaza/chau',
      'nara/plaza/howdy',
      'nara/plaza/social',
      'nara/plaza/journey_complete',
      'nara/plaza/stash_refresh',
      `nara/newspaper/${victim.name}`,
      `nara/ledger/${victim.name}/request`,
      `nara/ledger/${victim.name}/response`,
      'nara/checkpoint/propose',
      'nara/checkpoint/vote',
      'nara/checkpoint/final',
    ]
    for (const topic of topics) {
      await mallory.publish(topic, '{not json')
      await mallory.publish(topic, new Uint8Array([0xff, 0xfe, 0x00]))
    }
    for (const [topic, payload] of forged) await mallory.publish(topic, payload)

    // Every nara gets the 10 shared topics twice malformed and the 8 forged messages.
    const after = await town.waitFor((s) =>
      s.naras.every(
        (n: StatusDoc, i: number) => sum(n.drops) - dropsBefore[i] >= 2 * 10 + forged.length - 1,
      ),
    )
    expect(town.alive()).toBe(true)
    const reasons = new Set(after.naras.flatMap((n: StatusDoc) => Object.keys(n.drops)))
    expect(reasons).toContain('bad-json')
    expect(
      [...reasons].some((r) => r !== 'bad-json' && r !== 'bad-utf8' && r !== 'dead-topic'),
    ).toBe(true)
    // The town is unharmed: still everyone ONLINE, the victim not OFFLINE through the forged chau.
    await town.waitFor((s) => s.naras.every((n: StatusDoc) => n.counts.ONLINE === 2))
    const metrics = await (await fetch(`http://127.0.0.1:${town.httpPort}/metrics`)).text()
    expect(metrics).toMatch(/nara_drops_total\{reason="bad-json",nara="[^"]+"\} \d+/)
  }, 60_000)
})
