/**
 * A running nara: identity, the plaza connection, and the behaviour of WIRE.md §6-§7 on top:
 * join (subscriptions, jittered hey_there, first newspaper), howdy self-selection, newspapers on
 * the chattiness schedule, the neighbourhood table, presence toward Go naras, checkpoint
 * consensus, social teases, chau on stop, and the /status + /metrics endpoint.
 */
import type {
  CheckpointPayload,
  CheckpointProposal,
  CheckpointVote,
  HowdyEvent,
  NaraObservation,
  NaraStatus,
  SocialPayload,
} from '@nara/protocol'
import { computeChattiness, createBuzz, newspaperPeriodS } from './chattiness.js'
import {
  type CheckpointService,
  createCheckpointService,
  type FinalLike,
} from './checkpoint-service.js'
import { type Clock, type Random, randomInt, systemClock } from './clock.js'
import type { BrokerConfig, Timings } from './config.js'
import { redactUrl } from './config.js'
import {
  createHowdyCoordinator,
  type HowdyBoard,
  type HowdyCoordinator,
  selectNeighbours,
} from './howdy-coordinator.js'
import type { Identity } from './identity-store.js'
import type { Logger } from './logger.js'
import { type AgentMetrics, createMetrics } from './metrics.js'
import { createNeighbourhood, type Neighbourhood } from './neighbourhood.js'
import { createNewspaperScheduler, type NewspaperScheduler } from './newspaper-scheduler.js'
import { auraFromName, buildOwnStatus, cpuSampler } from './own-status.js'
import type { PlazaPort } from './plaza-port.js'
import {
  createPresenceKeeper,
  goPeersOnline,
  isGoStatus,
  type PresenceKeeper,
  TS_VERSION,
} from './presence-keeper.js'
import { createStatusServer, type StatusServer } from './status-server.js'

export interface AgentOptions {
  broker: BrokerConfig
  dataDir: string
  /** Forced chattiness 0..100. */
  chattiness: number | undefined
  timings: Timings
  /** Serve /status and /metrics here; undefined = no server (town mode serves one for all). */
  http: { host: string; port: number } | undefined
  logger: Logger
  /**
   * Bound of each step of `stop()` (chau, disconnect, saving the run state, closing the status
   * server), ms on the agent's clock; a step still running then is logged and left behind, so a
   * stalled socket cannot hold the stop. Default 3000.
   */
  stopStepMs?: number
  /** Howdys already sent by the other naras of this process (a town), see `createHowdyBoard`. */
  howdyBoard?: HowdyBoard
}

/** What the agent needs from the outside world; everything is injectable for tests. */
export interface AgentDeps {
  /** Resolves the identity (soul, name, NaraID) — from the data directory in production. */
  loadIdentity: () => Promise<Identity>
  /** Creates the plaza connection for this identity. */
  createPlaza: (identity: Identity) => Promise<PlazaPort>
  /** Identity-derived display values (flair, personality). */
  describe: (identity: Identity) => { flair: string; personality: NaraStatus['Personality'] }
  /** Signs and verifies checkpoint attestations. */
  attestations: {
    sign: (
      identity: Identity,
      attestation: FinalLike | CheckpointProposal | CheckpointVote,
    ) => string
    verify: (attestation: CheckpointProposal | CheckpointVote, publicKeyB64: string) => boolean
  }
  /** Persisted run counters (first start, starts, uptime). */
  runState?: {
    load: (nowS: number) => Promise<{ firstStartS: number; starts: number; totalUptimeS: number }>
    save: (state: { firstStartS: number; starts: number; totalUptimeS: number }) => Promise<void>
  }
  clock?: Clock
  random?: Random
}

export interface RecentSocial {
  atMs: number
  type: string
  actor: string
  target: string
  reason: string
}

export interface Agent {
  start(): Promise<void>
  /** Chau, then a clean disconnect. Idempotent. */
  stop(): Promise<void>
  /** Set after start(). */
  identity(): Identity | undefined
  neighbourhood(): Neighbourhood<NaraStatus> | undefined
  metrics(): AgentMetrics | undefined
  /** The /status document. */
  status(): Record<string, unknown>
  /** Teases a neighbour on `nara/plaza/social` (signed). */
  tease(target: string, reason?: string): Promise<void>
  /** Port of the status server, once listening. */
  httpPort(): number | undefined
}

const BOOT_MS = 120_000

/**
 * The names a howdy lists in `Neighbors`, computed once per decoded howdy: the naras of a town
 * share the decoded object, and every one of them reads the list.
 */
const namesOfHowdy = new WeakMap<object, readonly string[]>()
function neighbourNames(h: HowdyEvent): readonly string[] {
  const known = namesOfHowdy.get(h)
  if (known !== undefined) return known
  const names: readonly string[] = Object.freeze((h.Neighbors ?? []).map((x) => x.Name))
  namesOfHowdy.set(h, names)
  return names
}

export function createAgent(options: AgentOptions, deps: AgentDeps): Agent {
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? Math.random
  const { timings } = options
  let log = options.logger
  let identity: Identity | undefined
  let plaza: PlazaPort | undefined
  let nh: Neighbourhood<NaraStatus> | undefined
  let metrics: AgentMetrics | undefined
  let howdy: HowdyCoordinator | undefined
  let newspapers: NewspaperScheduler | undefined
  let presence: PresenceKeeper | undefined
  let checkpoints: CheckpointService | undefined
  let server: StatusServer | undefined
  let httpPort: number | undefined
  let startedAtMs = 0
  let started = false
  let stopping: Promise<void> | undefined
  /** Set synchronously by stop(): from then on nothing connects, joins or reports a loss. */
  let halting = false
  /** start() up to the connect (identity, plaza, wiring, status server). */
  let setup: Promise<void> | undefined
  let connected = false
  let joinTimer: unknown
  let joined = false
  let described: ReturnType<AgentDeps['describe']> | undefined
  let runState = { firstStartS: 0, starts: 1, totalUptimeS: 0 }
  let lastPublishedBuzz = 0
  const buzz = createBuzz(() => clock.now())
  const cpu = cpuSampler(() => clock.now())
  const recentSocial: RecentSocial[] = []
  const recentConflicts: Array<{ atMs: number; name: string; topic: string }> = []
  const unsubscribe: Array<() => void> = []

  const booting = () => clock.now() - startedAtMs < BOOT_MS
  const chattiness = () => {
    const online = nh?.list().filter((n) => n.state === 'ONLINE') ?? []
    return computeChattiness({
      forced: options.chattiness,
      localBuzz: buzz.value(),
      peerBuzz: online.map((n) => n.status?.Buzz ?? 0),
      ownPublishedBuzz: lastPublishedBuzz,
      loadPerCpu: 0,
      booting: booting() && options.chattiness === undefined,
    })
  }

  const ownStatus = (full: boolean): NaraStatus => {
    const id = identity!
    const b = buzz.value()
    return buildOwnStatus({
      publicKey: id.publicKey,
      naraId: id.naraId,
      flair: described!.flair,
      personality: described!.personality,
      aura: auraFromName(id.name),
      chattiness: chattiness(),
      buzz: b,
      observations: full ? howdyObservations() : null,
      procCpuPercent: cpu(),
    })
  }

  /** The howdy `Me.Observations` map: everyone, or the most recently seen `howdyObservationsMax`. */
  const howdyObservations = (): Record<string, NaraObservation> => {
    const table = nh!
    const max = timings.howdyObservationsMax
    if (max === undefined || table.size() <= max) {
      return table.observations() as Record<string, NaraObservation>
    }
    const out: Record<string, NaraObservation> = {}
    const recent = table
      .list()
      .filter((n) => !n.hearsay)
      .sort((a, b) => (b.lastSeenMs ?? 0) - (a.lastSeenMs ?? 0))
      .slice(0, max)
    for (const n of recent) out[n.name] = table.observationOf(n.name) as NaraObservation
    return out
  }

  const ownValues = () => ({
    restarts: Math.max(0, runState.starts - 1),
    total_uptime: runState.totalUptimeS + Math.floor((clock.now() - startedAtMs) / 1000),
    start_time: runState.firstStartS,
  })

  const safe = (what: string, p: Promise<unknown>) =>
    p.catch((err: unknown) => log.warn({ err: (err as Error).message }, `${what} failed`))

  /** Waits for a stop step at most `stopStepMs`; true when it finished in time. */
  const bounded = (what: string, p: Promise<unknown>): Promise<boolean> => {
    const ms = options.stopStepMs ?? 3000
    return new Promise<boolean>((resolve) => {
      const timer = clock.setTimeout(() => {
        log.warn({ step: what, ms }, 'stop step did not finish in time; going on without it')
        resolve(false)
      }, ms)
      void safe(what, p).then(() => {
        clock.clearTimeout(timer)
        resolve(true)
      })
    })
  }

  const publishNewspaper = () => {
    const status = ownStatus(false)
    lastPublishedBuzz = status.Buzz
    void safe('newspaper', plaza!.publishNewspaper(status))
    log.debug({ chattiness: status.Chattiness, buzz: status.Buzz }, 'newspaper published')
    if (deps.runState)
      void safe(
        'saving run state',
        deps.runState.save({ ...runState, totalUptimeS: ownValues().total_uptime }),
      )
    maybeTease()
  }

  /** Now and then, a sociable nara teases a random ONLINE neighbour (about 1 newspaper in 20). */
  const maybeTease = () => {
    const sociability = described?.personality.Sociability ?? 0
    if (random() >= sociability / 2000) return
    const online = nh!.list().filter((n) => n.state === 'ONLINE' && !n.hearsay)
    const target = online[randomInt(random, online.length)]
    if (target) void agent.tease(target.name, 'random')
  }

  const wire = (p: PlazaPort, id: Identity, n: Neighbourhood<NaraStatus>, m: AgentMetrics) => {
    const on = <K extends Parameters<PlazaPort['on']>[0]>(
      kind: K,
      fn: Parameters<typeof p.on<K>>[1],
    ) => unsubscribe.push(p.on(kind, fn))
    on('hey_there', ({ message }) => {
      const ht = message.hey_there
      m.messageIn('hey_there')
      if (!ht || ht.From === id.name) return
      const known = n.get(ht.From) !== undefined && !n.get(ht.From)?.hearsay
      const ok = n.observe(ht.From, 'hey_there', {
        eventTimeMs: Number(message.ts / 1_000_000n),
        publicKey: ht.PublicKey,
        naraId: ht.ID,
      })
      if (!ok) return
      buzz.bump(1)
      log.info({ peer: ht.From }, known ? 'hey_there again' : 'a nara joined')
      howdy!.onHeyThere(ht.From, message.id)
    })
    on('chau', ({ message }) => {
      const c = message.chau
      m.messageIn('chau')
      if (!c || c.From === id.name) return
      if (
        n.chau(c.From, {
          eventTimeMs: Number(message.ts / 1_000_000n),
          publicKey: c.PublicKey,
          naraId: c.ID,
        })
      ) {
        buzz.bump(2)
        log.info({ peer: c.From }, 'a nara said chau')
      }
    })
    on('howdy', ({ message: h }) => {
      m.messageIn('howdy')
      if (h.From === id.name) return
      howdy!.onHowdy({ from: h.From, to: h.To, neighbours: neighbourNames(h) })
      n.observe(h.From, 'howdy', { status: h.Me })
      buzz.bump(1)
      if (h.To === id.name) {
        for (const nb of h.Neighbors ?? []) {
          n.learnHearsay(nb.Name, {
            publicKey: nb.PublicKey,
            naraId: nb.ID,
            observation: nb.Observation,
          })
        }
        log.info(
          { from: h.From, seq: h.Seq, neighbours: h.Neighbors?.length ?? 0 },
          'welcomed with a howdy',
        )
      }
    })
    on('newspaper', ({ from, status, nameProof, senderId }) => {
      m.messageIn('newspaper')
      if (from === id.name) return
      const isNew = n.get(from) === undefined
      // Status.ID is unsigned: only the NaraID the plaza bound to the key is taken (none for a
      // topic-only name, whose newspaper still counts as presence evidence for that topic).
      const bound = nameProof === undefined ? status : { ...status, ID: senderId ?? '' }
      n.observe(from, 'newspaper', { status: bound })
      if (isNew)
        log.info({ peer: from, go: isGoStatus(status), nameProof }, 'first newspaper from a nara')
      else log.debug({ peer: from }, 'newspaper')
    })
    on('social', ({ message }) => {
      m.messageIn('social')
      const s = message.social as SocialPayload | undefined
      if (!s) return
      const actor = s.actor ?? message.emitter ?? ''
      if (actor === id.name) return
      if (message.emitter) n.observe(message.emitter, 'social')
      buzz.bump(5)
      recentSocial.push({
        atMs: clock.now(),
        type: s.type,
        actor,
        target: s.target ?? '',
        reason: s.reason ?? '',
      })
      if (recentSocial.length > 20) recentSocial.shift()
      log.info({ type: s.type, actor, target: s.target, reason: s.reason }, 'social event')
    })
    on('checkpoint_propose', ({ message }) => {
      m.messageIn('checkpoint_propose')
      checkpoints?.onProposal(message as never)
    })
    on('checkpoint_vote', ({ message }) => {
      m.messageIn('checkpoint_vote')
      checkpoints?.onVote(message as never)
    })
    on('checkpoint_final', ({ message }) => {
      m.messageIn('checkpoint_final')
      if (message.checkpoint) checkpoints?.onFinal(message.checkpoint as never, message.id)
    })
    for (const kind of ['ledger_request', 'ledger_response', 'journey_complete'] as const) {
      // Counted only: their contents are unauthenticated (WIRE §12.15).
      on(kind, () => m.messageIn(kind))
    }
    on('key-conflict', ({ name, topic }) => {
      m.keyConflict()
      recentConflicts.push({ atMs: clock.now(), name, topic })
      if (recentConflicts.length > 20) recentConflicts.shift()
      log.warn(
        { peer: name, topic },
        'key conflict: a message used a key other than the pinned one',
      )
    })
    on('drop', ({ reason, topic, kind, claimedSender, detail }) => {
      m.drop(reason, kind, detail)
      log.debug({ reason, topic, kind, claimedSender, detail }, 'dropped')
    })
    on('published', ({ topic }) => m.messageOut(topic))
    on('connected', ({ reconnect }) => {
      if (!connected) log.info({ broker: redactUrl(options.broker.url) }, 'connected to the plaza')
      if (reconnect) m.reconnect()
      connected = true
    })
    on('subscribed', () => {
      // Join (WIRE §1.3): subscriptions done, then a jittered hey_there; the first time also the
      // first newspaper and the periodic services. After a reconnect: a new jittered hey_there.
      if (joinTimer) clock.clearTimeout(joinTimer as never)
      joinTimer = clock.setTimeout(
        () => {
          joinTimer = undefined
          if (halting) return
          void safe('hey_there', p.sayHeyThere())
          presence?.heyThereSent()
          if (!joined) {
            joined = true
            presence?.start()
            newspapers?.start()
            checkpoints?.start()
          }
        },
        randomInt(random, timings.joinJitterMaxMs),
      )
    })
    on('disconnected', ({ reason }) => {
      // Our own stop() disconnects on purpose: that is not a loss, and nothing retries.
      if (connected && !halting)
        log.warn({ broker: redactUrl(options.broker.url), reason }, 'lost the plaza; retrying')
      else if (connected) log.debug({ broker: redactUrl(options.broker.url) }, 'disconnected')
      connected = false
    })
  }

  /** start() up to the connect; returns early once stop() was called. */
  const prepare = async (): Promise<void> => {
    startedAtMs = clock.now()
    identity = await deps.loadIdentity()
    const id = identity
    log = log.child({ nara: id.name })
    described = deps.describe(id)
    if (deps.runState) runState = await deps.runState.load(Math.floor(startedAtMs / 1000))
    if (halting) return
    if (!id.bondValid)
      log.warn(
        { naraId: id.naraId },
        'the soul does not bond to this name (inauthentic); running anyway',
      )
    log.info(
      { naraId: id.naraId, publicKey: id.publicKey, soulFrom: id.source, version: TS_VERSION },
      'starting nara',
    )
    nh = createNeighbourhood<NaraStatus>({
      me: id.name,
      nowMs: () => clock.now(),
      missingAfterS: timings.missingAfterS,
      gossipMissingAfterS: timings.gossipMissingAfterS,
    })
    const table = nh
    metrics = createMetrics({ name: id.name, neighbourCounts: () => table.counts() })
    plaza = await deps.createPlaza(id)
    const p = plaza
    if (halting) return
    howdy = createHowdyCoordinator({
      me: id.name,
      clock,
      random,
      delayMaxMs: timings.howdyDelayMaxMs,
      ...(options.howdyBoard ? { board: options.howdyBoard } : {}),
      respond: ({ to, seq, mentioned }) => {
        const picked = selectNeighbours(table.list(), to, mentioned).map((n) => ({
          Name: n.name,
          PublicKey: n.publicKey ?? '',
          MeshIP: '',
          ID: n.naraId ?? '',
          Observation: table.observationOf(n.name) as NaraObservation,
        }))
        log.debug({ to, seq, neighbours: picked.length }, 'answering with a howdy')
        void safe(
          'howdy',
          p.publishHowdy({
            To: to,
            Seq: seq,
            You: table.observationOf(to) as NaraObservation,
            Neighbors: picked.length > 0 ? picked : null,
            Me: ownStatus(true),
          }),
        )
        return picked.map((x) => x.Name)
      },
    })
    newspapers = createNewspaperScheduler({
      clock,
      periodS: () => timings.newspaperPeriodS ?? newspaperPeriodS(chattiness()),
      publish: publishNewspaper,
    })
    presence = createPresenceKeeper({
      clock,
      random,
      periodS: timings.goReannounceS,
      goPeersPresent: () => goPeersOnline(table.list()),
      sendHeyThere: () => {
        log.debug({}, 'presence hey_there for the Go naras')
        void safe('hey_there', p.sayHeyThere())
      },
    })
    checkpoints = createCheckpointService({
      me: { name: id.name, naraId: id.naraId, publicKey: id.publicKey },
      clock,
      random,
      sign: (a) => deps.attestations.sign(id, a as never),
      verify: (a, key) => deps.attestations.verify(a as never, key),
      keyById: (naraId) => p.keyById(naraId),
      onlinePeers: () => table.counts().ONLINE,
      ownValues,
      viewOf: (subject) => {
        const n = table.get(subject)
        if (!n || n.hearsay) return undefined
        return {
          restarts: n.restarts,
          total_uptime: Math.floor(n.totalUptimeMs / 1000),
          start_time: Math.floor(n.firstSeenMs / 1000),
        }
      },
      publishProposal: (proposal) =>
        void safe('checkpoint proposal', p.publishCheckpointProposal(proposal as never)),
      publishVote: (vote) => void safe('checkpoint vote', p.publishCheckpointVote(vote as never)),
      publishFinal: (final) => p.publishCheckpointFinal(final as CheckpointPayload),
      everyMs: timings.checkpointEveryS * 1000,
      checkMs: timings.checkpointCheckS * 1000,
      voteWindowMs: timings.checkpointVoteWindowS * 1000,
      minPeers: timings.checkpointMinPeers,
      finalMinValid: timings.checkpointFinalMinValid,
      onEvent: (e) => {
        const level = e.kind === 'ignored' || e.kind === 'voted' ? 'debug' : 'info'
        log[level]({ ...e }, `checkpoint ${e.kind}`)
      },
    })
    wire(p, id, table, metrics)
    if (options.http) {
      const m = metrics
      server = createStatusServer({
        host: options.http.host,
        port: options.http.port,
        status: () => agent.status(),
        metrics: async () => ({
          contentType: m.registry.contentType,
          body: await m.registry.metrics(),
        }),
      })
      httpPort = await server.start()
      log.info(
        { url: `http://${options.http.host}:${httpPort}/status` },
        'status endpoint listening',
      )
    }
  }

  const agent: Agent = {
    async start() {
      if (started || halting) return
      started = true
      setup = prepare()
      await setup
      // A stop() during the setup wins: the plaza is never started.
      if (halting || !plaza) return
      // Connects, or keeps retrying in the background; the join happens on 'subscribed'.
      await plaza.start()
    },
    stop() {
      if (stopping) return stopping
      halting = true
      stopping = (async () => {
        if (setup) await bounded('start', setup)
        if (joinTimer) clock.clearTimeout(joinTimer as never)
        newspapers?.stop()
        presence?.stop()
        checkpoints?.stop()
        howdy?.stop()
        const p = plaza
        if (p) {
          // The chau is written to the socket now, then the plaza's stop stops reading inbound
          // messages at once and disconnects (the DISCONNECT follows the chau on the socket).
          // Awaiting the chau first would keep verifying a backlog of inbound traffic, and a chau
          // stuck behind a full socket buffer (waiting for 'drain') would hold the stop forever.
          const chau = p.sayChau()
          const disconnect = p.stop()
          if (await bounded('chau', chau)) log.info({}, 'said chau')
          await bounded('disconnect', disconnect)
        }
        for (const u of unsubscribe.splice(0)) u()
        if (deps.runState && identity)
          await bounded(
            'saving run state',
            deps.runState.save({ ...runState, totalUptimeS: ownValues().total_uptime }),
          )
        if (server) await bounded('closing the status server', server.stop())
      })()
      return stopping
    },
    identity: () => identity,
    neighbourhood: () => nh,
    metrics: () => metrics,
    httpPort: () => httpPort,
    async tease(target, reason = 'random') {
      if (!plaza || !nh) return
      const n = nh.get(target)
      await plaza.publishSocial({ type: 'tease', target, target_id: n?.naraId, reason })
      log.info({ target, reason }, 'teased a neighbour')
    },
    status() {
      const now = clock.now()
      const id = identity
      const ago = (ms: number | undefined) =>
        ms === undefined ? null : Math.round((now - ms) / 1000)
      const snap = metrics?.snapshot()
      return {
        me: id
          ? {
              name: id.name,
              naraId: id.naraId,
              publicKey: id.publicKey,
              bondValid: id.bondValid,
              version: TS_VERSION,
              connected,
              uptimeS: Math.floor((now - startedAtMs) / 1000),
              chattiness: nh ? chattiness() : null,
              buzz: buzz.value(),
              nextNewspaperInS:
                newspapers?.nextAtMs() === undefined
                  ? null
                  : Math.max(0, Math.round((newspapers.nextAtMs()! - now) / 1000)),
              flair: described?.flair,
            }
          : null,
        counts: nh?.counts() ?? { ONLINE: 0, OFFLINE: 0, MISSING: 0 },
        neighbourhood: (nh?.list() ?? []).map((n) => ({
          name: n.name,
          state: n.state,
          lastSeenAgoS: ago(n.lastSeenMs),
          lastEvidence: n.lastEvidence,
          lastNewspaperAgoS: ago(n.lastNewspaperMs),
          hearsay: n.hearsay,
          restarts: n.restarts,
          pinnedKey: plaza && n.naraId ? (plaza.keyById(n.naraId) ?? null) : null,
          publicKey: n.publicKey ?? null,
          naraId: n.naraId ?? null,
          verified: n.verified,
          version: n.status?.Version ?? null,
          go: isGoStatus(n.status),
          chattiness: n.status?.Chattiness ?? null,
          buzz: n.status?.Buzz ?? null,
        })),
        drops: snap?.drops ?? {},
        dropDetails: snap?.dropDetails ?? {},
        messages: { in: snap?.in ?? {}, out: snap?.out ?? {} },
        reconnects: snap?.reconnects ?? 0,
        keyConflicts: { total: snap?.keyConflicts ?? 0, recent: recentConflicts },
        presence: {
          goPeersOnline: nh ? goPeersOnline(nh.list()) : false,
          reannounces: presence?.sent() ?? 0,
        },
        checkpoints: checkpoints?.state() ?? null,
        social: recentSocial,
      }
    },
  }
  return agent
}
