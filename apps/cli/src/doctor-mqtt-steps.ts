/**
 * The MQTT steps of `nara doctor`, over one MQTT.js session (`doctor-mqtt.ts`): credentials
 * (CONNECT), subscribe (to a private test topic) and the round trip (publish at QoS 1, PUBACK and
 * our own copy back). Each failure names the fix from what the broker answered.
 */
import { randomBytes } from 'node:crypto'
import type { Settings } from './config.js'
import { connectDoctorSession, type DoctorMqttSession, WEBSOCKET_PATH } from './doctor-mqtt.js'
import type { StepName, StepResult } from './doctor-steps.js'
import {
  CliError,
  errorText,
  MqttRefusedError,
  MqttSubscribeDeniedError,
  MqttTimeoutError,
  MqttTransportError,
} from './errors.js'
import { readTlsFiles } from './tls-files.js'

type Broker = Settings['broker']

/** Runs credentials, subscribe and round trip; returns the first step not run (or undefined). */
export async function mqttSteps(
  broker: Broker,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<StepName | undefined> {
  const clientId = `nara-doctor-${randomBytes(6).toString('hex')}`
  const { ca, cert, key } = await readTlsFiles(broker)
  let session: DoctorMqttSession
  try {
    session = await connectDoctorSession({
      protocol: broker.protocol,
      host: broker.host,
      port: broker.port,
      clientId,
      username: broker.username,
      password: broker.password,
      ca,
      cert,
      key,
      rejectUnauthorized: !broker.tlsInsecure,
      timeoutMs,
    })
  } catch (error) {
    report({
      step: 'credentials',
      status: 'fail',
      detail: errorText(error),
      fix: connectFix(error, broker),
    })
    return 'subscribe'
  }
  try {
    const over = isWebSocket(broker) ? ` (MQTT over WebSocket, path ${WEBSOCKET_PATH})` : ''
    const who =
      broker.username !== undefined ? `logged in as "${broker.username}"` : 'connected anonymously'
    report({ step: 'credentials', status: 'ok', detail: `${who}${over}` })
    return await subscribeAndRoundTrip(session, `nara/doctor/${clientId}`, report)
  } finally {
    await session.close()
  }
}

async function subscribeAndRoundTrip(
  session: DoctorMqttSession,
  topic: string,
  report: (r: StepResult) => void,
): Promise<StepName | undefined> {
  try {
    const granted = await session.subscribe(topic)
    report({ step: 'subscribe', status: 'ok', detail: `subscribed to ${topic} (QoS ${granted})` })
  } catch (error) {
    report({
      step: 'subscribe',
      status: 'fail',
      detail: errorText(error),
      fix:
        error instanceof MqttSubscribeDeniedError
          ? 'the broker denies this user subscriptions under nara/: check its ACL for the user'
          : 'the connection broke while subscribing: run the doctor again, and check the broker logs',
    })
    return 'round-trip'
  }
  const payload = Buffer.from(`nara doctor ${randomBytes(8).toString('hex')}`)
  try {
    await session.roundTrip(topic, payload)
    report({
      step: 'round-trip',
      status: 'ok',
      detail: `published on ${topic} (QoS 1, acknowledged) and received it back`,
    })
  } catch (error) {
    report({
      step: 'round-trip',
      status: 'fail',
      detail: errorText(error),
      fix: 'the broker did not deliver our own message: check its ACL allows publishing under nara/',
    })
  }
  return undefined
}

const isWebSocket = (broker: Broker) => broker.protocol === 'ws' || broker.protocol === 'wss'

/** Fixes for CONNACK return codes other than 4 and 5 (MQTT 3.1.1, section 3.2.2.3). */
const REFUSAL_FIXES: Record<number, string> = {
  1: 'the broker does not speak MQTT 3.1.1: check that MQTT_HOST points at an MQTT 3.1.1/5 broker',
  2: 'the broker rejected our client id: check its client id rules (the doctor uses nara-doctor-<random>)',
  3: 'the broker is up but not accepting MQTT clients now: try again later, or check the broker logs',
}

/** What to do when CONNECT failed, from what the broker answered. */
function connectFix(error: unknown, broker: Broker): string {
  const speaks = isWebSocket(broker)
    ? `this port serves MQTT over WebSocket at ${WEBSOCKET_PATH}`
    : 'this port speaks MQTT'
  if (error instanceof MqttRefusedError) return refusalFix(error.returnCode, broker)
  if (error instanceof MqttTimeoutError)
    return `the broker did not answer CONNECT: check that ${speaks}`
  if (error instanceof MqttTransportError) {
    return isWebSocket(broker)
      ? `the WebSocket connection failed: check that ${speaks}`
      : `the connection failed after TLS/TCP worked: check that ${speaks}, and the broker logs`
  }
  if (error instanceof CliError) {
    return `the broker closed the connection after CONNECT: check that ${speaks} and the credentials`
  }
  return `check that ${speaks}, and the broker logs`
}

/** 4/5: MQTT 3.1.1 "bad username or password" / "not authorized"; 134/135: the same in MQTT 5. */
function refusalFix(returnCode: number, broker: Broker): string {
  if (returnCode === 4 || returnCode === 134) {
    return broker.username === undefined
      ? 'the broker wants credentials: set MQTT_USER and MQTT_PASS'
      : `check MQTT_PASS (and MQTT_USER "${broker.username}")`
  }
  if (returnCode === 5 || returnCode === 135) {
    return broker.username === undefined
      ? 'the broker refuses anonymous clients: set MQTT_USER and MQTT_PASS'
      : `the broker does not authorise user "${broker.username}": check MQTT_USER/MQTT_PASS and the broker ACL`
  }
  return REFUSAL_FIXES[returnCode] ?? 'check the broker logs for why it refused us'
}
