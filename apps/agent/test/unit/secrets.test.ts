import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { redactBrokerUrl, scrubUrlPasswords, secretScrubber } from '../../src/secrets.js'

describe('secrets', () => {
  it('redacts a broker URL to user:***@host', () => {
    expect(redactBrokerUrl('mqtt://nara:hunter2@broker.example:1883')).toBe(
      'mqtt://nara:***@broker.example:1883',
    )
    expect(redactBrokerUrl('wss://u:p%40ss@h:443/mqtt')).toBe('wss://u:***@h:443/mqtt')
    expect(redactBrokerUrl('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883')
    expect(redactBrokerUrl('nara:pw@10.0.0.1:1883')).toBe('nara:***@10.0.0.1:1883')
  })

  it('scrubs every URL password of a line, a raw @ in the password included', () => {
    expect(scrubUrlPasswords('{"urls":"mqtt://a:p@ss@h1:1,tcp://b:q@h2:2","x":"y@z"}')).toBe(
      '{"urls":"mqtt://a:***@h1:1,tcp://b:***@h2:2","x":"y@z"}',
    )
  })

  it('scrubs the known secrets, raw, JSON-escaped and URL-encoded', () => {
    const scrub = secretScrubber(['pa"ss/word', 'SOULTEXT123', undefined, 'ab'])
    expect(scrub('a pa"ss/word b')).toBe('a *** b')
    expect(scrub('{"m":"pa\\"ss/word"}')).toBe('{"m":"***"}')
    expect(scrub('x=pa%22ss%2Fword')).toBe('x=***')
    expect(scrub('soul SOULTEXT123!')).toBe('soul ***!')
    // Too short to be a secret worth masking.
    expect(scrub('ab')).toBe('ab')
  })

  it('the logger never writes a URL password or a given secret', () => {
    const lines: string[] = []
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const log = createLogger({
      level: 'info',
      pretty: false,
      destination,
      secrets: ['s3cr3t-soul'],
    })
    log.info({ broker: 'mqtt://nara:pw-123@h:1883' }, 'connecting')
    log.warn({ err: 'failed with soul s3cr3t-soul' }, 'oops')
    const text = lines.join('')
    expect(text).toContain('mqtt://nara:***@h:1883')
    expect(text).not.toContain('pw-123')
    expect(text).not.toContain('s3cr3t-soul')
    expect(lines).toHaveLength(2)
  })
})
