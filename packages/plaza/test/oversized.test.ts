/**
 * Oversized packets against a real mosquitto: a PUBLISH a few MB over the payload cap is skipped
 * by the transport from its fixed header (counted `too-large`, never handed to MQTT.js), and the
 * connection goes on (the next message is read).
 */

import { TOPICS } from '@nara/protocol'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropsCounted, makePlaza, nextEvent, startAndJoin } from './helpers.js'
import { rawClient } from './raw-client.js'

describe('oversized publish (mosquitto)', () => {
  let broker: MosquittoBroker
  beforeAll(async () => {
    broker = await startMosquitto()
  })
  afterAll(async () => {
    await broker.close()
  })

  it('a payload 4 MB over the cap is dropped too-large from its header; the next message is read', async () => {
    const { plaza } = makePlaza('bob', broker.url, { options: { maxPayloadBytes: 64 * 1024 } })
    try {
      await startAndJoin(plaza)
      const raw = await rawClient(broker.url)
      try {
        const drop = nextEvent(plaza, 'drop', (d) => d.reason === 'too-large')
        await raw.publishAsync(TOPICS.social, Buffer.alloc(64 * 1024 + 4_000_000, 0x61))
        await raw.publishAsync(TOPICS.social, '{"emitter":"mallory"}')
        expect(await drop).toMatchObject({
          topic: TOPICS.social,
          kind: 'social',
          detail: `${64 * 1024 + 4_000_000} bytes, skipped unread by the transport`,
        })
        await dropsCounted(plaza, 'bad-schema')
        const counters = plaza.counters()
        expect(counters.dropped['too-large']).toBe(1)
        expect(counters.received.social).toBe(2)
        expect(plaza.connected).toBe(true)
        expect(counters.disconnects).toBe(0)
      } finally {
        await raw.endAsync()
      }
    } finally {
      await plaza.stop()
    }
  })
})
