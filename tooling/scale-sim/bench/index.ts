/**
 * `pnpm bench` for @nara/scale-sim: the broker figures docs/SCALE.md builds on, in one run.
 * 1. Fan-out through a single mosquitto, a 3-node NATS cluster and a star of three bridged
 *    mosquittos (ratios against the single mosquitto), with broker CPU per delivery.
 * 2. A reconnect storm of 1,000 lightweight clients whose NATS node is killed.
 * Arguments: [messages per publisher (default 2000)] [storm clients (default 1000)].
 */
import { loadavg } from 'node:os'
import { startMosquitto, startMosquittoStar, startNatsCluster } from '@nara/vitest-config/brokers'
import { type FanOutResult, fanOut } from './fan-out.js'
import { reconnectStorm } from './reconnect-storm.js'

const messages = Number(process.argv[2] ?? 2000)
const stormClients = Number(process.argv[3] ?? 1000)
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
const out = (line: string) => process.stdout.write(`${line}\n`)

out(`broker bench, ${new Date().toISOString()}, load average at start: ${load()}`)
out("(the machine is shared: other engineers' builds and tests run at the same time)")
const shape = { subscribersPerNode: 3, messagesPerPublisher: messages }
const results: FanOutResult[] = []

const single = await startMosquitto({
  extraConfig: ['max_queued_messages 0', 'set_tcp_nodelay true'],
})
try {
  const pid = single.pid
  results.push(
    await fanOut(
      { name: 'single mosquitto', urls: [single.url, single.url, single.url], pids: () => [pid()] },
      shape,
    ),
  )
} finally {
  await single.close()
}
const cluster = await startNatsCluster()
try {
  results.push(
    await fanOut(
      {
        name: '3-node NATS cluster',
        urls: cluster.urls,
        pids: () => cluster.nodes.map((n) => n.pid()),
      },
      shape,
    ),
  )
} finally {
  await cluster.close()
}
const star = await startMosquittoStar()
try {
  results.push(
    await fanOut(
      {
        name: 'mosquitto star (hub + 2 leaves)',
        urls: star.brokers.map((b) => b.url),
        pids: () => star.brokers.map((b) => b.pid()),
      },
      shape,
    ),
  )
} finally {
  await star.close()
}

const base = results[0]?.deliveriesPerS ?? 1
out('')
out(
  `fan-out: 3 publishers (one per node) x ${messages} QoS 0 messages (300 B and 1,250 B alternating), 9 subscribers on nara/# (3 per node)`,
)
out('| topology | deliveries | deliveries/s | ratio | broker CPU per delivery |')
out('| --- | ---: | ---: | ---: | ---: |')
for (const r of results) {
  out(
    `| ${r.topology} | ${r.deliveries.toLocaleString('en-US')} of ${r.expected.toLocaleString('en-US')} | ${Math.round(r.deliveriesPerS).toLocaleString('en-US')} | ${(r.deliveriesPerS / base).toFixed(2)}x | ${r.brokerCpuUsPerDelivery.toFixed(2)} µs |`,
  )
}

const stormCluster = await startNatsCluster()
try {
  const storm = await reconnectStorm(stormCluster, {
    clients: stormClients,
    victim: 2,
    deadlineMs: 120_000,
  })
  out('')
  out(
    `reconnect storm: ${storm.clients} clients on NATS node 3 (connected in ${storm.initialConnectS.toFixed(1)} s), node killed (SIGKILL), reconnect waits uniform in [5 s, 35 s)`,
  )
  out(
    `back on another node: ${storm.back} of ${storm.clients}; first after ${storm.firstS.toFixed(1)} s, all back after ${storm.allBackS.toFixed(1)} s; failed attempts retried: ${storm.failedAttempts}`,
  )
  for (const n of storm.perNode) {
    out(
      `  ${n.url}: ${n.total} connects, peak ${n.peakPerS}/s, mean ${n.meanPerS.toFixed(1)}/s over the seconds with any`,
    )
  }
} finally {
  await stormCluster.close()
}
out('')
out(`load average at end: ${load()}`)
