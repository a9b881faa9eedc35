import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { type BrokerProcess, brokerProcess } from './broker-process.js'
import { requireBinary } from './find-binary.js'
import { freePort } from './free-port.js'
import { mqttPing } from './mqtt-ping.js'
import type { TestBroker } from './types.js'

export interface NatsClusterOptions {
  /** Number of nodes, each routed to every other. Default 3. */
  nodes?: number
  /** How long to wait for a node's ports, its routes and a JetStream leader, ms. Default 30 000. */
  startTimeoutMs?: number
}

/** One node of a {@link NatsCluster}: its MQTT listener is `url`. */
export interface NatsNode extends TestBroker {
  /** `server_name` of the node, `n1`, `n2`, ... */
  readonly serverName: string
  readonly clientPort: number
  readonly clusterPort: number
  /** HTTP monitoring port (`/routez`, `/jsz`, `/connz?mqtt_client=...`). */
  readonly monitorPort: number
  readonly configFile: string
  running(): boolean
  /** The process id while it runs (for CPU accounting in benchmarks). */
  pid(): number | undefined
  /** The last 64 kB the node wrote (its log). */
  log(): string
}

/** A running NATS cluster on loopback (see {@link startNatsCluster}). */
export interface NatsCluster {
  readonly nodes: readonly NatsNode[]
  /** Every node's MQTT URL, in node order. */
  readonly urls: readonly string[]
  /** Resolves once every running node routes to every other running one and JetStream has a leader. */
  waitReady(timeoutMs?: number): Promise<void>
  /** Stops every node and removes the temporary directory. Idempotent. */
  close(): Promise<void>
}

interface NodePorts {
  client: number
  mqtt: number
  cluster: number
  monitor: number
}

function nodeConfig(name: string, dir: string, own: NodePorts, all: readonly NodePorts[]): string {
  const routes = all.map((p) => `"nats-route://127.0.0.1:${p.cluster}"`).join(', ')
  return [
    `server_name: ${name}`,
    `listen: "127.0.0.1:${own.client}"`,
    `http: "127.0.0.1:${own.monitor}"`,
    `jetstream { store_dir: "${join(dir, name)}" }`,
    `mqtt { listen: "127.0.0.1:${own.mqtt}" }`,
    `cluster { name: nara, listen: "127.0.0.1:${own.cluster}", routes: [${routes}] }`,
    '',
  ].join('\n')
}

async function monitor(port: number, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`)
    return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

async function mqttAnswers(nodes: readonly NodePorts[]): Promise<boolean> {
  for (const p of nodes) {
    if (!(await mqttPing(p.mqtt, `nara-fixture-ping-${p.mqtt}`))) return false
  }
  return true
}

/** Four free ports for each of `count` nodes. */
async function allocatePorts(count: number): Promise<NodePorts[]> {
  const ports: NodePorts[] = []
  for (let i = 0; i < count; i++) {
    ports.push({
      client: await freePort(),
      mqtt: await freePort(),
      cluster: await freePort(),
      monitor: await freePort(),
    })
  }
  return ports
}

/** Whether the node routes to the `peers` other running nodes and sees a JetStream meta leader. */
async function nodeRouted(p: NodePorts, peers: number): Promise<boolean> {
  const routez = await monitor(p.monitor, '/routez')
  const jsz = await monitor(p.monitor, '/jsz')
  const leader = (jsz?.meta_cluster as { leader?: string } | undefined)?.leader
  return routez?.num_routes === peers && typeof leader === 'string' && leader !== ''
}

/**
 * Polls until every running node (`procs[i]` runs node `ports[i]`) routes to every other running
 * one, JetStream has a leader and each answers MQTT; throws with the nodes' logs after `timeoutMs`.
 */
async function waitClusterReady(
  ports: readonly NodePorts[],
  procs: readonly BrokerProcess[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const live = ports.filter((_, i) => procs[i]?.running() === true)
    const checks = await Promise.all(live.map((p) => nodeRouted(p, live.length - 1)))
    // NATS creates its MQTT streams on the first MQTT connection; make that happen here,
    // one node at a time, so tests start against a cluster that answers MQTT at once.
    if (checks.every(Boolean) && (await mqttAnswers(live))) return
    if (Date.now() > deadline) {
      const logs = procs.map((p, i) => `--- n${i + 1}\n${p.log().slice(-1500)}`).join('\n')
      throw new Error(`NATS cluster not ready within ${timeoutMs} ms\n${logs}`)
    }
    await delay(100)
  }
}

/** What a node of the cluster needs to be set up: the cluster's files, ports and controls. */
interface NodeSetup {
  bin: string
  dir: string
  ports: readonly NodePorts[]
  startTimeoutMs: number
  /** Whether the cluster was closed (a node then refuses to restart). */
  closed(): boolean
  waitReady(): Promise<void>
}

/** Writes node `index`'s config and store directory; its process is not launched yet. */
async function prepareNode(
  setup: NodeSetup,
  index: number,
): Promise<{ proc: BrokerProcess; node: NatsNode }> {
  const name = `n${index + 1}`
  const own = setup.ports[index] as NodePorts
  const configFile = join(setup.dir, `${name}.conf`)
  await mkdir(join(setup.dir, name), { recursive: true })
  await writeFile(configFile, nodeConfig(name, setup.dir, own, setup.ports))
  const proc = brokerProcess({
    label: `nats-server ${name}`,
    bin: setup.bin,
    args: ['-c', configFile],
    ports: [own.client, own.mqtt],
    startTimeoutMs: setup.startTimeoutMs,
  })
  const signal = (sig: NodeJS.Signals) => proc.signal(sig)
  const node: NatsNode = {
    name: `nats-${name}`,
    serverName: name,
    host: '127.0.0.1',
    port: own.mqtt,
    url: `mqtt://127.0.0.1:${own.mqtt}`,
    clientPort: own.client,
    clusterPort: own.cluster,
    monitorPort: own.monitor,
    configFile,
    running: proc.running,
    pid: proc.pid,
    log: proc.log,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    restart: async () => {
      if (setup.closed()) throw new Error(`nats-server ${name}: restart after close`)
      await signal('SIGTERM')
      await proc.launch()
      await setup.waitReady()
    },
    /** Stops this node only; the cluster's `close()` removes the files. */
    close: () => signal('SIGTERM'),
  }
  return { proc, node }
}

/**
 * Starts a NATS cluster on 127.0.0.1 from the real `nats-server` binary: each node has its own
 * `server_name`, client, MQTT, cluster and monitoring port (all free ports), its JetStream
 * `store_dir` in one temp directory, and routes to every node. NATS needs JetStream for MQTT
 * sessions, so this resolves only once every node routes to all the others, JetStream has
 * elected a meta leader and every node answers an MQTT CONNECT. `nodes[i].kill()` is a SIGKILL; `restart()` brings the node back on
 * the same ports and store, and waits for its routes again.
 *
 * Throws `nats-server not found: apt-get install -y nats-server` when the binary is missing.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const bin = requireBinary('nats-server', 'nats-server', process.env.PATH)
  const count = options.nodes ?? 3
  const startTimeoutMs = options.startTimeoutMs ?? 30_000
  const dir = await mkdtemp(join(tmpdir(), 'nara-nats-'))
  const ports = await allocatePorts(count)
  const procs: BrokerProcess[] = []
  const nodes: NatsNode[] = []
  let closed = false
  const waitReady = (timeoutMs = startTimeoutMs): Promise<void> =>
    waitClusterReady(ports, procs, timeoutMs)
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await Promise.all(procs.map((p) => p.signal('SIGTERM')))
    await rm(dir, { recursive: true, force: true })
  }
  const setup: NodeSetup = { bin, dir, ports, startTimeoutMs, closed: () => closed, waitReady }
  try {
    for (let i = 0; i < count; i++) {
      const { proc, node } = await prepareNode(setup, i)
      procs.push(proc)
      nodes.push(node)
    }
    await Promise.all(procs.map((p) => p.launch()))
    await waitReady()
  } catch (err) {
    await close()
    throw err
  }
  return { nodes, urls: nodes.map((n) => n.url), waitReady, close }
}
