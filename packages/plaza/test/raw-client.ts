import mqtt, { type MqttClient } from 'mqtt'

/** A plain MQTT.js client (no auto-reconnect) for injecting raw payloads and observing topics. */
export async function rawClient(url: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    reconnectPeriod: 0,
    clientId: `raw-${Math.random().toString(16).slice(2, 10)}`,
  })
}

/** Resolves with the next message on `topic` (the client must be subscribed). */
export function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return
      client.off('message', onMessage)
      resolve(payload)
    }
    client.on('message', onMessage)
  })
}
