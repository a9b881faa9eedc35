/**
 * A minimal MQTT 3.1.1 session over an already-open socket, for `nara doctor` only: CONNECT,
 * SUBSCRIBE, PUBLISH at QoS 1 and DISCONNECT, each step reporting exactly what the broker said
 * (CONNACK and SUBACK return codes) so a failure can be named. Plaza traffic goes through
 * @nara/plaza; this exists because a diagnosis needs each step separately.
 */
import type { Duplex } from 'node:stream'

/** CONNACK return codes of MQTT 3.1.1 (§3.2.2.3). */
export const CONNACK_REASONS: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
}

export class ProbeError extends Error {
  override name = 'ProbeError'
  constructor(
    message: string,
    readonly code: 'timeout' | 'closed' | 'refused' | 'protocol',
    readonly returnCode?: number,
  ) {
    super(message)
  }
}

interface Packet {
  type: number
  flags: number
  body: Buffer
}

function encodeLength(n: number): Buffer {
  const bytes: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return Buffer.from(bytes)
}

function str(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s
  const len = Buffer.alloc(2)
  len.writeUInt16BE(b.length)
  return Buffer.concat([len, b])
}

function packet(header: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([header]), encodeLength(body.length), body])
}

export interface ProbeSessionOptions {
  clientId: string
  username?: string
  password?: string
  /** Keep-alive in seconds (default 30, like the Go naras). */
  keepAliveS?: number
  /** Bound for each broker reply, in ms. */
  replyTimeoutMs: number
}

/** One MQTT session on `socket`. Call `connect()` first. */
export class ProbeSession {
  private buffer = Buffer.alloc(0)
  private readonly queue: Packet[] = []
  private waiter: ((error?: Error) => void) | undefined
  private closedError: Error | undefined
  private nextId = 1

  constructor(
    private readonly socket: Duplex,
    private readonly options: ProbeSessionOptions,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    const onClose = (error?: Error) => {
      this.closedError ??= new ProbeError(
        `the broker closed the connection${error ? ` (${error.message})` : ''}`,
        'closed',
      )
      this.waiter?.(this.closedError)
      this.waiter = undefined
    }
    socket.on('close', () => onClose())
    socket.on('error', (e) => onClose(e))
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    for (let p = this.take(); p; p = this.take()) {
      if (p.type === 3 && ((p.flags >> 1) & 3) === 1) this.ackPublish(p)
      this.queue.push(p)
    }
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }

  /** Cuts one complete packet off the front of the buffer, if there is one. */
  private take(): Packet | undefined {
    let multiplier = 1
    let length = 0
    let pos = 1
    let byte: number
    do {
      if (pos >= this.buffer.length) return undefined
      byte = this.buffer[pos++]!
      length += (byte & 0x7f) * multiplier
      multiplier *= 128
    } while (byte & 0x80 && pos < 5)
    if (this.buffer.length < pos + length) return undefined
    const first = this.buffer[0]!
    const p = {
      type: first >> 4,
      flags: first & 0x0f,
      body: this.buffer.subarray(pos, pos + length),
    }
    this.buffer = this.buffer.subarray(pos + length)
    return p
  }

  /**
   * Waits for the first packet matching `accept`. Packets that do not match stay queued for a
   * later wait (a broker may deliver our own message before the PUBACK of its publish).
   */
  private async next(accept: (p: Packet) => boolean, what: string): Promise<Packet> {
    const deadline = Date.now() + this.options.replyTimeoutMs
    for (;;) {
      const index = this.queue.findIndex(accept)
      if (index >= 0) return this.queue.splice(index, 1)[0]!
      await this.arrival(deadline, what)
    }
  }

  /** Resolves when more packets have arrived (they are in the queue). */
  private arrival(deadline: number, what: string): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.waiter = undefined
          reject(
            new ProbeError(
              `no ${what} from the broker in ${this.options.replyTimeoutMs} ms`,
              'timeout',
            ),
          )
        },
        Math.max(0, deadline - Date.now()),
      )
      this.waiter = (error) => {
        clearTimeout(timer)
        if (error) reject(error)
        else resolve()
      }
    })
  }

  private ackPublish(p: Packet): void {
    const topicLength = p.body.readUInt16BE(0)
    const id = p.body.readUInt16BE(2 + topicLength)
    const body = Buffer.alloc(2)
    body.writeUInt16BE(id)
    this.socket.write(packet(0x40, body))
  }

  /** CONNECT with clean session; resolves on CONNACK 0, throws `refused` with the return code. */
  async connect(): Promise<void> {
    const { clientId, username, password } = this.options
    let flags = 0x02
    if (username !== undefined) flags |= 0x80
    if (password !== undefined) flags |= 0x40
    const keepAlive = Buffer.alloc(2)
    keepAlive.writeUInt16BE(this.options.keepAliveS ?? 30)
    const body = Buffer.concat([
      str('MQTT'),
      Buffer.from([4, flags]),
      keepAlive,
      str(clientId),
      ...(username !== undefined ? [str(username)] : []),
      ...(password !== undefined ? [str(password)] : []),
    ])
    this.socket.write(packet(0x10, body))
    const ack = await this.next((p) => p.type === 2, 'CONNACK')
    const code = ack.body[1] ?? 255
    if (code !== 0) {
      throw new ProbeError(
        `the broker refused the connection: ${CONNACK_REASONS[code] ?? `return code ${code}`}`,
        'refused',
        code,
      )
    }
  }

  /** SUBSCRIBE at `qos`; resolves with the granted QoS, throws `refused` on 0x80. */
  async subscribe(topic: string, qos: 0 | 1): Promise<number> {
    const id = this.nextId++
    const head = Buffer.alloc(2)
    head.writeUInt16BE(id)
    this.socket.write(packet(0x82, Buffer.concat([head, str(topic), Buffer.from([qos])])))
    const ack = await this.next((p) => p.type === 9 && p.body.readUInt16BE(0) === id, 'SUBACK')
    const granted = ack.body[2] ?? 0x80
    if (granted === 0x80) {
      throw new ProbeError(`the broker refused the subscription to ${topic}`, 'refused', 0x80)
    }
    return granted
  }

  /** PUBLISH at QoS 1; resolves on PUBACK. */
  async publish(topic: string, payload: Buffer): Promise<void> {
    const id = this.nextId++
    const idBytes = Buffer.alloc(2)
    idBytes.writeUInt16BE(id)
    this.socket.write(packet(0x32, Buffer.concat([str(topic), idBytes, payload])))
    await this.next((p) => p.type === 4 && p.body.readUInt16BE(0) === id, 'PUBACK')
  }

  /** Waits for a PUBLISH on `topic` whose payload equals `payload`. */
  async receive(topic: string, payload: Buffer): Promise<void> {
    await this.next((p) => {
      if (p.type !== 3) return false
      const topicLength = p.body.readUInt16BE(0)
      const got = p.body.subarray(2, 2 + topicLength).toString('utf8')
      const qos = (p.flags >> 1) & 3
      const rest = p.body.subarray(2 + topicLength + (qos > 0 ? 2 : 0))
      return got === topic && rest.equals(payload)
    }, `copy of our message on ${topic}`)
  }

  /** DISCONNECT and end the socket. */
  disconnect(): void {
    if (!this.closedError && !this.socket.destroyed) {
      this.socket.end(packet(0xe0, Buffer.alloc(0)))
    }
    this.closedError ??= new ProbeError('disconnected', 'closed')
  }
}
