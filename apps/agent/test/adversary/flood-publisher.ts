/**
 * The flood driver, run as its own process (`node --import tsx flood-publisher.ts <json>`) so
 * the publisher keeps pace with the rates the row asks for. One name floods at two rates on two
 * sockets: junk (1-byte and short garbage payloads on every plaza topic and on the flooder's own
 * newspaper topic) and validly signed traffic (distinct signed newspapers on its own topic and
 * socials, half and half, pre-signed before the start and sent round robin). Before it says
 * `ready` it sends one hey_there, so its key is pinned and the honest naras' howdys to it are out
 * before the measured window.
 * Paced every 10 ms with catch-up; a socket that pushes back is waited for, so the rate printed
 * is the rate achieved. Protocol: prints `ready`, waits for a line `go` on stdin, prints one
 * JSON result line at the end.
 */
import { createInterface } from 'node:readline'
import { attacker, nowNs } from './attacker.js'
import { publishPacket, rawPublisher } from './raw-mqtt.js'

interface FloodConfig {
  url: string
  name: string
  seconds: number
  junkPerSecond: number
  signedPerSecond: number
  /** Distinct signed socials to pre-sign (sent round robin). */
  signedPool: number
  targets: string[]
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as FloodConfig
const me = attacker(cfg.name)

const OWN_PAPER = `nara/newspaper/${cfg.name}`
// Half the junk on the flooder's own newspaper topic: the kind that carries presence.
const JUNK_TOPICS = [
  OWN_PAPER,
  OWN_PAPER,
  OWN_PAPER,
  OWN_PAPER,
  OWN_PAPER,
  OWN_PAPER,
  OWN_PAPER,
  'nara/plaza/hey_there',
  'nara/plaza/chau',
  'nara/plaza/howdy',
  'nara/plaza/social',
  'nara/checkpoint/propose',
  'nara/checkpoint/vote',
  'nara/checkpoint/final',
]
const junkPayload = (i: number): Buffer => {
  switch (i % 4) {
    case 0:
      return Buffer.from([0x7b])
    case 1:
      return Buffer.from(`{"emitter":"${cfg.name}","From":"${cfg.name}","x":${i}`)
    case 2:
      return Buffer.from(
        `{"id":"${'0'.repeat(32)}","ts":${nowNs()},"svc":"social","emitter":"${cfg.name}","sig":"AAAA"}`,
      )
    default:
      return Buffer.alloc(1 + (i % 200), i % 251)
  }
}
const junk = Array.from({ length: 1000 }, (_, i) =>
  publishPacket(JUNK_TOPICS[i % JUNK_TOPICS.length] as string, junkPayload(i)),
)
const signed: Buffer[] = []
for (let i = 0; i < cfg.signedPool; i++) {
  const target = cfg.targets[i % cfg.targets.length] ?? 'nobody'
  signed.push(
    i % 2 === 0
      ? publishPacket(OWN_PAPER, me.newspaper(1000 + i))
      : publishPacket('nara/plaza/social', me.social(nowNs(BigInt(i) * 1000n), target)),
  )
}

/**
 * Sends `packets` round robin at `perSecond` for `seconds` (a hard bound: a write the broker has
 * not taken by then is abandoned with the socket); returns how many went out.
 */
async function paced(url: string, packets: Buffer[], perSecond: number): Promise<number> {
  const p = await rawPublisher(url, `flood-${Math.random().toString(16).slice(2, 10)}`)
  const started = performance.now()
  const deadline = new Promise<'late'>((r) => setTimeout(() => r('late'), cfg.seconds * 1000))
  let sent = 0
  for (;;) {
    const elapsed = (performance.now() - started) / 1000
    if (elapsed >= cfg.seconds) break
    const due = Math.floor(elapsed * perSecond)
    if (due > sent) {
      const batch: Buffer[] = []
      let n = sent
      for (; n < due; n++) batch.push(packets[n % packets.length] as Buffer)
      if ((await Promise.race([p.write(Buffer.concat(batch)), deadline])) === 'late') break
      sent = n
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  p.socket.destroy()
  return sent
}

// The flooder says hey_there once before the flood (the honest naras pin its key and answer it
// with howdys before the measured window opens).
const hello = await rawPublisher(cfg.url, `flood-hello-${Math.random().toString(16).slice(2, 8)}`)
await hello.write(publishPacket('nara/plaza/hey_there', me.heyThere(nowNs())))
await hello.close()
console.log('ready')
const lines = createInterface({ input: process.stdin })
await new Promise<void>((resolve) => lines.once('line', () => resolve()))
const started = performance.now()
const [junkSent, signedSent] = await Promise.all([
  paced(cfg.url, junk, cfg.junkPerSecond),
  paced(cfg.url, signed, cfg.signedPerSecond),
])
const seconds = (performance.now() - started) / 1000
console.log(JSON.stringify({ junkSent, signedSent, seconds }))
lines.close()
