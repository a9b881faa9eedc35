import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BROKERS,
  makeTestPki,
  startMosquitto,
  type TestPki,
  waitForPort,
} from '../src/brokers/index.js'

describe.each(BROKERS)('$name fixture', ({ start }) => {
  it('starts, stops, restarts on the same port and closes', async () => {
    const broker = await start()
    try {
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`)
      await waitForPort(broker.port, { timeoutMs: 2000 })
      await broker.stop()
      await expect(waitForPort(broker.port, { timeoutMs: 100 })).rejects.toThrow()
      await broker.restart()
      await waitForPort(broker.port, { timeoutMs: 2000 })
    } finally {
      await broker.close()
    }
  })
})

describe('mosquitto TLS listener', () => {
  let dir: string
  let pki: TestPki
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nara-pki-'))
    pki = await makeTestPki(dir)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('serves the generated certificate, trusted with the generated CA', async () => {
    const broker = await startMosquitto({ tls: pki })
    try {
      expect(broker.tlsUrl).toMatch(/^mqtts:\/\/localhost:\d+$/)
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tlsConnect({ host: 'localhost', port: broker.tlsPort, ca: pki.ca }, () => {
          resolve(socket.authorized)
          socket.destroy()
        })
        socket.once('error', reject)
      })
      expect(authorized).toBe(true)
    } finally {
      await broker.close()
    }
  })
})
