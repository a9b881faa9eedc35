/**
 * The page's routes over real HTTP: the bundled page with its security headers, the snapshot,
 * the event stream (snapshot first, then live updates), and a client that falls behind being
 * told how many updates it missed instead of growing the server's memory.
 */
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createManualClock } from '@nara/plaza/testing'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createPlazaView,
  createSseHub,
  createWebRoutes,
  createWebServer,
  type WebServer,
} from '../src/index.js'

let server: WebServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function serve() {
  const view = createPlazaView({
    mode: 'watcher',
    broker: 'mqtt://127.0.0.1:1883',
    clock: createManualClock(),
  })
  server = createWebServer({ routes: createWebRoutes({ view }), port: 0 })
  return { view, url: await server.start() }
}

/** Reads SSE frames from a fetch body until `count` frames arrived. */
async function frames(
  res: Response,
  count: number,
): Promise<Array<{ event: string; data: unknown }>> {
  const reader = res.body!.getReader()
  const out: Array<{ event: string; data: unknown }> = []
  let text = ''
  while (out.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
    let end = text.indexOf('\n\n')
    while (end >= 0) {
      const frame = text.slice(0, end)
      text = text.slice(end + 2)
      const event = /^event: (.*)$/m.exec(frame)?.[1]
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (event && data) out.push({ event, data: JSON.parse(data) })
      end = text.indexOf('\n\n')
    }
  }
  await reader.cancel()
  return out
}

describe('web routes', () => {
  it('serves the bundled page on localhost with a policy that forbids inline scripts', async () => {
    const { url } = await serve()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toContain('<script type="module" src="/app.js">')
    const js = await fetch(`${url}app.js`)
    expect(js.headers.get('content-type')).toContain('javascript')
    expect((await js.text()).length).toBeGreaterThan(1000)
    expect((await fetch(`${url}nope`)).status).toBe(404)
    expect((await fetch(`${url}api/snapshot`, { method: 'POST' })).status).toBe(405)
  })

  it('answers a snapshot, and streams the snapshot first and then each update', async () => {
    const { view, url } = await serve()
    const snap = (await (await fetch(`${url}api/snapshot`)).json()) as { source: unknown }
    expect(snap.source).toEqual({ mode: 'watcher', broker: 'mqtt://127.0.0.1:1883' })
    const res = await fetch(`${url}api/events`)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    // The client is registered once its headers arrived: updates from now on reach it in order.
    const got = frames(res, 3)
    view.connection(true)
    view.drop({
      reason: 'bad-json',
      topic: 'nara/plaza/social',
      kind: undefined,
      claimedSender: undefined,
      detail: undefined,
    })
    const [first, second, third] = await got
    expect(first?.event).toBe('snapshot')
    expect(second).toEqual({ event: 'connection', data: { connected: true } })
    expect(third).toMatchObject({
      event: 'drop',
      data: { reason: 'bad-json', topic: 'nara/plaza/social' },
    })
    expect((await fetch(`${url}api/nara?name=nobody`)).status).toBe(404)
  })

  it('skips updates to a client whose socket is backed up, then tells it how many', () => {
    const hub = createSseHub({ maxBufferedBytes: 100 })
    const written: string[] = []
    const res = Object.assign(new EventEmitter(), {
      writableLength: 0,
      writeHead: () => res,
      write: (chunk: string) => {
        written.push(chunk)
        return true
      },
      end: () => undefined,
    })
    hub.add(new EventEmitter() as IncomingMessage, res as unknown as ServerResponse, {
      type: 'connection',
      data: { connected: true },
    })
    res.writableLength = 1000
    for (let i = 0; i < 5; i++) hub.broadcast({ type: 'connection', data: { connected: false } })
    const before = written.length
    res.writableLength = 0
    res.emit('drain')
    expect(written.slice(before)).toEqual(['event: skipped\ndata: {"count":5}\n\n'])
    hub.close()
  })
})
