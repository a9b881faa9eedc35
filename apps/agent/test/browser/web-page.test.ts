/// <reference lib="dom" />
/**
 * The web page of the plaza in a real browser (Debian's headless Chromium via playwright-core),
 * served by a real town process on mosquitto, with two single naras as separate processes and
 * an in-process plaza client named `<img src=x onerror=alert(1)>`. One browser, one page load,
 * every check on it in order: presence, the XSS name as text, a tease, a forged message under
 * "refused", SIGTERM -> OFFLINE and SIGKILL -> MISSING without a reload, a nara's page with its
 * aura colours, and the page reconnecting by itself after the town restarts.
 *
 * Screenshots go to `NARA_SCREENSHOTS_DIR` when set (`scripts/screenshots.mjs` uses this for
 * the README), else to a temporary directory.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildHeyThere, encodeSoul, generateSoul, keypairFromSoul } from '@nara/crypto'
import { createPlaza, type Plaza } from '@nara/plaza'
import { encodeSyncEvent, type SyncEvent, TOPICS } from '@nara/protocol'
import { naraStatusSchema } from '@nara/protocol/schemas'
import { startMosquitto, type TestBroker } from '@nara/vitest-config/brokers'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auraFromName } from '../../src/own-status.js'
import { type AgentProcess, type StatusDoc, spawnAgent } from '../helpers/agent-process.js'
import { type Browser, launchBrowser } from '../helpers/browser.js'

const XSS = '<img src=x onerror=alert(1)>'
const WAIT = { timeout: 45_000, interval: 250 }
const shots = process.env.NARA_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'nara-shots-'))

let broker: TestBroker
let town: AgentProcess
let calm: AgentProcess
let doomed: AgentProcess
let visitor: Plaza
let browser: Browser
let page: Page
let heartbeat: NodeJS.Timeout | undefined
const dialogs: string[] = []
const pageErrors: string[] = []
const names: { town: string[]; calm: string; doomed: string } = { town: [], calm: '', doomed: '' }

// The page's town reads 10 s of silence as MISSING (the others 5 s): a loaded machine can hold
// a 1 s newspaper back for seconds, and the first check wants everyone ONLINE at once.
const townEnv = { NARA_MODE: 'town', NARA_TOWN_SIZE: '2', NARA_MISSING_AFTER_S: '10' }
const townNames = (s: StatusDoc): string[] =>
  (s.naras ?? []).map((n: StatusDoc) => n?.me?.name).filter(Boolean)

/** [name, state] of every presence row, as the page shows them. */
const rows = () =>
  page.$$eval('tr.row', (trs) =>
    Object.fromEntries(
      trs.map((tr) => [(tr as HTMLElement).dataset.name, (tr as HTMLElement).dataset.state]),
    ),
  )

/** The naras of `list` the page does not show ONLINE, with what it shows. */
const notOnline = async (list: string[]) => {
  const r = await rows()
  return list.filter((n) => r[n] !== 'ONLINE').map((n) => `${n}: ${r[n] ?? 'absent'}`)
}

beforeAll(async () => {
  broker = await startMosquitto()
  town = await spawnAgent({ brokerUrl: broker.url, env: townEnv })
  names.town = townNames(await town.waitFor((s) => townNames(s).length === 2))
  calm = await spawnAgent({ brokerUrl: broker.url })
  doomed = await spawnAgent({ brokerUrl: broker.url })
  names.calm = (await calm.waitFor((s) => Boolean(s.me?.name))).me.name
  names.doomed = (await doomed.waitFor((s) => Boolean(s.me?.name))).me.name
  const { soul } = generateSoul()
  visitor = createPlaza({
    brokerUrl: broker.url,
    identity: { name: XSS, soul: encodeSoul(soul) },
    heyThereOnConnect: false,
  })
  await visitor.start()
  await visitor.waitConnected()
  await visitor.sayHeyThere()
  // Like a nara, it keeps sending newspapers (the town reads 5 s of silence as MISSING).
  // Each one differs (a repeated status would be dropped as a replay).
  let beats = 0
  const newspaper = () =>
    visitor.publishNewspaper({
      ...naraStatusSchema.parse({}),
      Buzz: ++beats,
      Flair: '<script>alert(2)</script>',
      Aura: { primary: '#12AB34', secondary: 'red;background:url(x)' },
    })
  await newspaper()
  heartbeat = setInterval(() => void newspaper(), 1000)
  browser = await launchBrowser()
  page = browser.page
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  page.on('pageerror', (err) => pageErrors.push(err.message))
  await page.goto(`http://127.0.0.1:${town.httpPort}/`)
}, 90_000)

afterAll(async () => {
  clearInterval(heartbeat)
  await browser?.close()
  await visitor?.stop()
  for (const a of [calm, doomed, town]) if (a?.alive()) a.proc.kill('SIGKILL')
  await broker?.close()
})

describe('the web page of a town, in Chromium', { timeout: 60_000 }, () => {
  it('lists every nara ONLINE, and renders a nara named like HTML as text without running it', async () => {
    const everyone = [...names.town, names.calm, names.doomed, XSS]
    await expect.poll(async () => notOnline(everyone), WAIT).toEqual([])
    const xssRow = page.locator('tr.row').filter({ hasText: XSS })
    expect(await xssRow.locator('td.name a').textContent()).toBe(XSS)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('script:not([src])').count()).toBe(0)
    expect(dialogs).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('shows a tease in the stream, with its sender as text', async () => {
    const target = names.town[0]!
    await visitor.publishSocial({ type: 'tease', actor: XSS, target, reason: 'random' })
    // The town's naras tease each other too: the visitor's tease is the one it sent, found by
    // its sender shown as text (rendered as HTML it would be an <img>, and not found).
    const tease = page
      .locator('li.event[data-kind="social"]')
      .filter({ hasText: `tease ${target}` })
      .filter({ has: page.locator('.sender').getByText(XSS, { exact: true }) })
    await expect.poll(() => tease.count(), WAIT).toBeGreaterThan(0)
    expect(await tease.first().locator('.sender').textContent()).toBe(XSS)
    expect(await page.locator('img').count()).toBe(0)
    expect(dialogs).toEqual([])
  })

  it('pauses the stream (new events wait, counted) and resumes it', async () => {
    const pause = page.locator('button.pause')
    const newest = () => page.locator('li.event').first().getAttribute('data-seq')
    await pause.click()
    // The page renders once per animation frame: an event that came just before the click may
    // not be drawn yet. The stream as drawn with the button saying "resume" is the frozen one.
    await expect.poll(() => pause.textContent(), WAIT).toMatch(/^resume \(\d+ waiting\)$/)
    const frozen = await newest()
    await expect.poll(() => pause.textContent(), WAIT).toMatch(/^resume \([1-9]\d* waiting\)$/)
    expect(await newest()).toBe(frozen)
    await pause.click()
    await expect.poll(() => pause.textContent(), WAIT).toBe('pause')
    await expect.poll(async () => Number(await newest()), WAIT).toBeGreaterThan(Number(frozen))
  })

  it('shows a forged hey_there under "refused" with its reason, and calls out the key conflict', async () => {
    const forger = keypairFromSoul(generateSoul().soul)
    const ev = buildHeyThere(
      {
        name: names.doomed,
        publicKey: forger.publicKey,
        naraId: '',
        tsNs: BigInt(Date.now()) * 1_000_000n,
      },
      { name: names.doomed, seed: forger.seed },
    )
    await visitor.publish(TOPICS.heyThere, encodeSyncEvent(ev as SyncEvent))
    const drop = page
      .locator('tr.drop[data-reason="key-conflict"]')
      .filter({ hasText: names.doomed })
    await expect.poll(() => drop.count(), WAIT).toBeGreaterThan(0)
    expect(await drop.first().textContent()).toContain(TOPICS.heyThere)
    await expect
      .poll(() => page.locator('li.conflict').filter({ hasText: names.doomed }).count(), WAIT)
      .toBeGreaterThan(0)
    expect(await page.locator('.legend li[data-reason="key-conflict"]').textContent()).toMatch(
      /key-conflict: [1-9]/,
    )
  })

  it('turns a nara stopped with SIGTERM OFFLINE and one killed with SIGKILL MISSING, without a reload', async () => {
    await page.evaluate(() => {
      ;(window as unknown as { notReloaded: boolean }).notReloaded = true
    })
    calm.proc.kill('SIGTERM')
    doomed.proc.kill('SIGKILL')
    await expect.poll(async () => (await rows())[names.calm], WAIT).toBe('OFFLINE')
    await expect.poll(async () => (await rows())[names.doomed], WAIT).toBe('MISSING')
    const decided = await page
      .locator('tr.row')
      .filter({ hasText: names.doomed })
      .locator('td.decision')
      .textContent()
    // Its last word is whatever it said last (the town's checkpoint round asks it to vote too),
    // never a chau: a killed nara says nothing.
    expect(decided).toMatch(
      /^silent \d+ s \(> 10 s\); last (newspaper|social|howdy|hey_there|checkpoint_vote|checkpoint_propose) \d+ s ago$/,
    )
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true)
    mkdirSync(shots, { recursive: true })
    await page.screenshot({ path: join(shots, 'overview.png') })
  })

  it("opens a nara's page with its aura colours when clicked", async () => {
    const name = names.town[0]!
    await page.locator('tr.row').filter({ hasText: name }).locator('td.name a').click()
    await expect.poll(() => page.locator('.nara-page .nara-name').textContent(), WAIT).toBe(name)
    const aura = auraFromName(name)
    const swatch = page.locator('.aura-colour[data-aura="primary"] .swatch')
    await expect.poll(() => swatch.count(), WAIT).toBe(1)
    const rgb = (hex: string) =>
      `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`
    expect(await swatch.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      rgb(aura.primary),
    )
    const secondary = page.locator('.aura-colour[data-aura="secondary"] .swatch')
    expect(await secondary.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      rgb(aura.secondary),
    )
    await expect.poll(() => page.locator('.meter[data-meter="sociability"]').count(), WAIT).toBe(1)
    await expect.poll(() => page.locator('svg.timeline line.beat').count(), WAIT).toBeGreaterThan(0)
    await page.screenshot({ path: join(shots, 'nara.png') })
    await page.locator('a', { hasText: '← plaza' }).click()
  })

  it('shows a colour from the plaza only when it is a colour, and its flair as text', async () => {
    await page.evaluate((n) => {
      window.location.hash = `#/nara/${encodeURIComponent(n)}`
    }, XSS)
    await expect.poll(() => page.locator('.nara-page .nara-name').textContent(), WAIT).toBe(XSS)
    await expect
      .poll(() => page.locator('.nara-page .flair').textContent(), WAIT)
      .toBe('<script>alert(2)</script>')
    const bad = page.locator('.aura-colour[data-aura="secondary"]')
    expect(await bad.getAttribute('data-color')).toBe('')
    expect(await bad.textContent()).toContain('(not a colour)')
    expect(dialogs).toEqual([])
    expect(await page.locator('img').count()).toBe(0)
    await page.evaluate(() => {
      window.location.hash = '#/'
    })
  })

  it('reconnects by itself after the town restarts', async () => {
    town.proc.kill('SIGTERM')
    await town.exited
    await expect.poll(() => page.locator('.pill').getAttribute('data-live'), WAIT).toBe('false')
    town = await spawnAgent({
      brokerUrl: broker.url,
      env: townEnv,
      dataDir: town.dataDir,
      httpPort: town.httpPort,
    })
    await expect.poll(() => page.locator('.pill').getAttribute('data-live'), WAIT).toBe('true')
    await expect.poll(async () => notOnline(names.town), WAIT).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
