import { connect } from 'node:net'

/** MQTT 3.1.1 CONNECT, clean session, keepalive 10 s, client ID `clientId` (ASCII). */
function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'ascii')
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 10])
  const body = Buffer.concat([variable, Buffer.from([id.length >> 8, id.length & 0xff]), id])
  return Buffer.concat([Buffer.from([0x10, body.length]), body])
}

/**
 * One MQTT round trip without a client library: CONNECT, then true when a CONNACK accepting
 * the connection arrives within `timeoutMs`, false on refusal, error or timeout.
 */
export function mqttPing(port: number, clientId: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let received = Buffer.alloc(0)
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.once('connect', () => socket.write(connectPacket(clientId)))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 4) done(received[0] === 0x20 && received[3] === 0)
    })
    socket.once('error', () => done(false))
    socket.once('close', () => done(false))
  })
}
