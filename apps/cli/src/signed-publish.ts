/**
 * Shared path of the signing commands (`tease`, `say hey`, `say chau`): load our identity, build
 * and sign the event, publish it at QoS 1 and report the broker's acknowledgement (PUBACK).
 * Subscribers still receive it at QoS 0, as every plaza message (WIRE.md §0).
 */
import type { SyncEvent } from '@nara/protocol'
import { encodeSyncEvent } from '@nara/protocol'
import type { Settings } from './config.js'
import type { CliContext } from './context.js'
import { BrokerError, ExitCode, UsageError } from './errors.js'
import { type Identity, loadIdentity } from './identity.js'
import { printJson, printLine, warn } from './output.js'
import { openPlaza } from './plaza-session.js'

export interface SignedEvent {
  topic: string
  kind: string
  event: { id: string; ts: bigint }
}

export interface SignedPublishFlags {
  json?: boolean
  connectTimeout?: string
}

export async function publishSigned(
  ctx: CliContext,
  settings: Settings,
  flags: SignedPublishFlags,
  build: (identity: Identity, tsNs: bigint) => SignedEvent,
  describe: (identity: Identity) => string,
): Promise<number> {
  const identity = await loadIdentity(settings)
  if (!identity.bondValid) {
    warn(
      ctx.io,
      `the soul is not bonded to the name "${identity.name}" (Go naras call this inauthentic; sending anyway)`,
    )
  }
  let connectTimeoutS = 15
  if (flags.connectTimeout !== undefined) {
    connectTimeoutS = Number(flags.connectTimeout)
    if (!(connectTimeoutS > 0)) {
      throw new UsageError(
        `--connect-timeout must be a positive number, got "${flags.connectTimeout}"`,
      )
    }
  }
  const signed = build(identity, BigInt(Date.now()) * 1_000_000n)
  const payload = encodeSyncEvent(signed.event as SyncEvent)
  const { plaza, close } = await openPlaza(settings, {
    identity,
    connectTimeoutMs: connectTimeoutS * 1000,
    signal: ctx.signal,
  })
  let acknowledged: boolean
  try {
    acknowledged = await plaza.publish(signed.topic, payload, { qos: 1 })
  } finally {
    await close()
  }
  if (!acknowledged) {
    throw new BrokerError(
      `${settings.broker.url} did not acknowledge the ${signed.kind} on ${signed.topic}`,
      'the connection dropped or the broker refused the publish (ACL?): run `nara doctor`',
    )
  }
  const result = {
    sent: true,
    kind: signed.kind,
    topic: signed.topic,
    from: identity.name,
    eventId: signed.event.id,
    ts: signed.event.ts,
    broker: settings.broker.url,
  }
  if (flags.json) printJson(ctx.io, result)
  else
    printLine(
      ctx.io,
      `${ctx.io.color.green('sent')} ${describe(identity)} (event ${signed.event.id.slice(0, 12)}, acknowledged by ${settings.broker.url})`,
    )
  return ExitCode.ok
}
