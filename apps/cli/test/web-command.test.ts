/**
 * `nara web` as a real process against a real aedes broker: it prints the page's URL on stdout,
 * serves the page on localhost, and its snapshot shows the plaza's naras (verified, watched with
 * no identity of its own) and a forged message under "refused", never the broker password.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { generateSoul } from '@nara/crypto'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NaraProcess, startNara } from './helpers/run-cli.js'
import { impersonatingHeyThere, startTownie, TOPICS, type Townie } from './helpers/town.js'

let broker: TestBroker
let dir: string
let web: NaraProcess | undefined
const townies: Townie[] = []

beforeAll(async () => {
  broker = await startAedes()
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-web-'))
})
afterAll(async () => {
  await web?.stop()
  for (const t of townies) await t.plaza.stop()
  await broker?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('nara web', () => {
  it('prints the URL of a page on localhost that shows the plaza as verified, and no secret', async () => {
    web = startNara(['web', '--port', '0', '--missing-after', '30'], {
      env: {
        MQTT_HOST: broker.url,
        MQTT_USER: 'watcher',
        MQTT_PASS: 'sekret-pass-42',
        NARA_DATA_DIR: dir,
        NO_COLOR: '1',
      },
    })
    const url = await web.waitForLine((l) => l.startsWith('http://'))
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    await web.waitForStderr('watching')
    const alice = await startTownie(broker.url, 'alice')
    townies.push(alice)
    await alice.plaza.sayHeyThere()
    await alice.newspaper({ Chattiness: 42, Version: '0.2.0-ts' })
    await alice.plaza.publish(TOPICS.heyThere, impersonatingHeyThere('alice', generateSoul().soul))

    const snapshot = async () => (await fetch(`${url}api/snapshot`)).text()
    await expect
      .poll(async () => JSON.parse(await snapshot()).refused.totals['key-conflict'] ?? 0, {
        timeout: 20_000,
      })
      .toBe(1)
    const text = await snapshot()
    const s = JSON.parse(text)
    expect(s.source).toEqual({ mode: 'watcher', broker: broker.url })
    expect(s.naras).toEqual([
      expect.objectContaining({ name: 'alice', state: 'ONLINE', trust: 'conflicted', impl: 'ts' }),
    ])
    expect(s.missingAfterS).toBe(30)
    expect(text).not.toContain('sekret-pass-42')
    expect(text).not.toContain(alice.soulText)
    const page = await fetch(url)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await web.stop()).toBe(0)
    web = undefined
  })
})
