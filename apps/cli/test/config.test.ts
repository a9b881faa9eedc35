import { describe, expect, it } from 'vitest'
import { DEFAULT_MQTT_HOST, readEnvironment, resolveSettings } from '../src/config.js'

describe('config', () => {
  it('defaults to the Go naras broker over TLS', () => {
    const s = resolveSettings({})
    expect(DEFAULT_MQTT_HOST).toBe('tls://mqtt.nara.network:8883')
    expect(s.broker).toMatchObject({
      protocol: 'mqtts',
      host: 'mqtt.nara.network',
      port: 8883,
      tls: true,
    })
    expect(s.dataDir).toMatch(/\.nara-plaza$/)
  })

  it('treats a host without scheme as tcp and fills the port from MQTT_PORT', () => {
    const s = resolveSettings({ MQTT_HOST: 'broker.local', MQTT_PORT: '1884' })
    expect(s.broker.url).toBe('mqtt://broker.local:1884')
  })

  it('keeps the port of the URL over MQTT_PORT, like the agent, but --mqtt-port wins', () => {
    expect(resolveSettings({ MQTT_HOST: 'tcp://h:1999', MQTT_PORT: '1884' }).broker.port).toBe(1999)
    expect(resolveSettings({ MQTT_HOST: 'tcp://h:1999' }, { mqttPort: '2000' }).broker.port).toBe(
      2000,
    )
  })

  it('lets flags win over variables', () => {
    const s = resolveSettings(
      { MQTT_HOST: 'tcp://a', MQTT_USER: 'u', NARA_ID: 'alice' },
      { mqttHost: 'tls://b:1', mqttUser: 'v', name: 'bob' },
    )
    expect(s.broker).toMatchObject({ url: 'mqtts://b:1', username: 'v', tls: true })
    expect(s.name).toBe('bob')
  })

  it('names every bad variable at once and never echoes a secret', () => {
    let error: unknown
    try {
      resolveSettings({
        MQTT_HOST: 'gopher://x',
        MQTT_PORT: 'abc',
        NARA_ID: 'a/b',
        NARA_TLS_INSECURE: 'maybe',
        NARA_SOUL: 'not-a-soul-secret',
      })
    } catch (e) {
      error = e
    }
    expect((error as Error).name).toBe('ConfigError')
    const problems = (error as { problems: string[] }).problems
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'MQTT_HOST',
      'MQTT_PORT',
      'NARA_ID',
      'NARA_TLS_INSECURE',
      'NARA_SOUL',
    ])
    expect((error as Error).message).not.toContain('not-a-soul-secret')
  })

  it('refuses a NARA_ID a NATS broker cannot carry, saying why (docs/BROKERS.md)', () => {
    for (const name of ['señor.ñandú', 'with space']) {
      expect(() => resolveSettings({ MQTT_HOST: 'tcp://h', NARA_ID: name })).toThrow(
        /NARA_ID: .*NATS broker cannot carry/,
      )
    }
    expect(resolveSettings({ MQTT_HOST: 'tcp://h', NARA_ID: 'señor-ñandú' }).name).toBe(
      'señor-ñandú',
    )
  })

  it('takes a comma-separated MQTT_HOST as a list of brokers, each with its port filled in', () => {
    const s = resolveSettings({ MQTT_HOST: 'tcp://a:1884, b ,tls://c', MQTT_USER: 'u' })
    expect(s.brokers.map((b) => b.url)).toEqual([
      'mqtt://a:1884',
      'mqtt://b:1883',
      'mqtts://c:8883',
    ])
    expect(s.broker).toBe(s.brokers[0])
    expect(s.brokers.every((b) => b.username === 'u')).toBe(true)
    expect(() => resolveSettings({ MQTT_HOST: 'tcp://a,gopher://b' })).toThrow(
      /MQTT_HOST \(entry 2 of 2\): unknown scheme/,
    )
  })

  it('rejects TLS settings for a plain TCP broker', () => {
    expect(() => resolveSettings({ MQTT_HOST: 'tcp://h', NARA_TLS_INSECURE: '1' })).toThrow(
      /only applies to TLS/,
    )
  })

  it('reads only its own variables, and an empty one counts as unset', () => {
    expect(readEnvironment({ MQTT_HOST: '', MQTT_USER: 'u', OTHER: 'x', NO_COLOR: '' })).toEqual({
      MQTT_USER: 'u',
      NO_COLOR: '',
    })
  })
})
