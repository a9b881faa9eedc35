/** The worked examples of WIRE.md §10.1, §10.2 and §10.5 (signer: the upstream test soul alice). */
import { describe, expect, it } from 'vitest'
import {
  attestationMessage,
  buildHeyThere,
  checkpointContent,
  computeEventId,
  computeNaraId,
  encodeSoul,
  flairGemstone,
  formatRttGo,
  generateName,
  hashHardware,
  isGenericHostname,
  keypairFromSoul,
  nameFromSoul,
  nativeSoulCustom,
  nativeSoulGenerated,
  parseSoul,
  personalityFromSoul,
  publicKeyBase64,
  syncEventDigest,
  toHex,
  validateBond,
} from './helpers/public-api.js'

const utf8 = (s: string) => new TextEncoder().encode(s)

describe('WIRE §10.1 identity', () => {
  const fp = hashHardware('hardware-1')

  it('fingerprint of "hardware-1"', () => {
    expect(toHex(fp)).toBe('e92af6aa75646536fbf0f9476c5f1bb791c4608e6d2e6404f40363647541ee05')
  })

  it('custom soul for jojo: seed, tag, text, NaraID, key, gemstone, personality', () => {
    const soul = nativeSoulCustom(fp, 'jojo')
    expect(toHex(soul.seed)).toBe(
      '730c722dfc13fd73225933aecb1250088fc3f86ee0945353d94cffa03c88d1c8',
    )
    expect(toHex(soul.tag)).toBe('77038561e51a727a')
    const text = encodeSoul(soul)
    expect(text).toBe('6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm')
    expect(text).toHaveLength(55)
    expect(computeNaraId(soul, 'jojo')).toBe('2gdnSNmnqsnvDoTxnj5PVyupruDnVUCaMH6tdGcpUjqa')
    expect(publicKeyBase64(keypairFromSoul(soul).publicKey)).toBe(
      'wLFs+nDa8WiVnZh+olfzqPINDpbCvSeqIrmZH16uVtc=',
    )
    expect(flairGemstone('jojo', soul)).toBe('💎')
    expect(personalityFromSoul(text)).toEqual({ Agreeableness: 36, Sociability: 86, Chill: 82 })
    expect(validateBond(soul, 'other')).toBe(false)
  })

  it('generated soul on the same fingerprint: noisy-bear-189', () => {
    const soul = nativeSoulGenerated(fp)
    expect(toHex(soul.seed)).toBe(
      'ef0e28ff950a1b1239334d6500df91658d308aa286f31c409bf15fd6069a25eb',
    )
    expect(nameFromSoul(soul)).toBe('noisy-bear-189')
    expect(encodeSoul(soul)).toBe('CsvnQW7AuB6B4xyPgwrWQ6tkWbbpX84KpXgt5GKZssNHigzFtDE1FHA')
    expect(computeNaraId(soul, 'noisy-bear-189')).toBe(
      'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVY4J',
    )
  })

  it('GenerateName examples', () => {
    expect(generateName('')).toBe('unnamed-nara')
    expect(generateName('hello')).toBe('electric-robot-422')
    expect(generateName('0'.repeat(64))).toBe('stinky-wizard-983')
  })

  it('isGenericHostname, including the never-matching "Mac" entry', () => {
    for (const h of ['nixos', 'raspberrypi', '3068841f6679', 'ubuntu-server', 'my-nara-box']) {
      expect(isGenericHostname(h), h).toBe(true)
    }
    for (const h of ['myserver', 'MacBook-Pro', 'mac', '3068841f667', 'ABCDEF123456Z']) {
      expect(isGenericHostname(h), h).toBe(false)
    }
    expect(isGenericHostname('ABCDEF123456')).toBe(true) // lowercased before the hex test
  })

  it('rejects the short soul literal of an upstream test (15 bytes)', () => {
    expect(() => parseSoul('3vQB7B6MrGQZaxCuFg4oh')).toThrow(
      expect.objectContaining({ name: 'InvalidSoulError' }),
    )
    expect(() => parseSoul('not-valid-base58!!!')).toThrow(
      expect.objectContaining({ name: 'InvalidSoulError' }),
    )
  })

  const testSouls = [
    [
      'test-nara',
      'C8GnyXApZYSStetZTdEqvb4ZqBvqG9Ez1QF5jtb2PmpFMxkLrWQXJf2',
      'GZfbdZZsjKdUsG5adTRA48FSUCGgTDPZBefXHJtB7hKz',
      '2YN8QzQNg4J7fTmwD0okZcw2GaOkiPfSCrvAMTnVsDA=',
    ],
    [
      'alice',
      '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG',
      '5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8',
      '5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek=',
    ],
    [
      'bob',
      'AwWZ9cD5cygmGWe6tc3Pak99cunLTXjJ4p5Cw4vo1hzcepmkkfiNgyt',
      '3Mdfo2WyMw3ymj6ZMRVNzuz2JfukoJLWkf2xLaC76A84',
      'RyRS+lLT77w93xUB3/V1SnaR2RDiamGKiFV6qEZLGTk=',
    ],
    [
      'carol',
      '4ZzjCy4m9iS7fpEZgcQVwiXNJYLLXbcS7P3Ec2gmSVCdbd8F4LsMhfA',
      '7DwHHiZDmQFTJ1yNzL1dQXC6Q9Jge2CZL5AT2mNDEtEa',
      '1+JO3OrN09NhC6pryC2Q2rw66Bg2pIZHiOXxPEBmtso=',
    ],
    [
      'old-nara',
      '6a9khWYQmvsQAVBkaZNdR2WL1YyyFjaKHN1uWHPXXHJ62TgnNFkiXpU',
      '7dcbiD2diqjyAfqUkWQ7mEpd7rsG5UUTcoekPPTEmbug',
      'qH+ZGzypJOPKkHFrT5nYqu1jsosI2OAyj3v1JkZeUaY=',
    ],
    [
      'blue-jay',
      '9RitQeRhTiddSeguyGfP61YQUmbNtcmkfVkDkfLWTJQ7vqNySgvZcxc',
      '6mpc9XjxYqJnpYSSBgjfP1K8RFz1zr1gJFSp89AdiJGC',
      '4vXDEwDL7gCSFgeLLKF5GgR4moQGIwlfYbX/UtoFK4M=',
    ],
  ] as const
  for (const [name, soulText, id, key] of testSouls) {
    it(`upstream testSoul(${name})`, () => {
      const soul = nativeSoulCustom(hashHardware(`test-hardware-${name}`), name)
      expect(encodeSoul(soul)).toBe(soulText)
      expect(computeNaraId(soul, name)).toBe(id)
      expect(publicKeyBase64(keypairFromSoul(soul).publicKey)).toBe(key)
    })
  }
})

describe('WIRE §10.2 and §10.5 strings', () => {
  const alice = nativeSoulCustom(hashHardware('test-hardware-alice'), 'alice')
  const { seed, publicKey } = keypairFromSoul(alice)

  it('hey_there with mesh IP: id, digest and signature', () => {
    const ev = buildHeyThere(
      {
        name: 'alice',
        publicKey,
        meshIp: '100.64.0.7',
        naraId: computeNaraId(alice, 'alice'),
        tsNs: 1768774453123456789n,
      },
      { name: 'alice', seed },
    )
    expect(ev.id).toBe('e2b48232b780ea0d3aa555d750afa9db')
    expect(toHex(syncEventDigest(ev))).toBe(
      'bd22c247e5a51d853cfb3cbedbe95b593d9b3ad7050b223aee46be733af133b0',
    )
    expect(ev.sig).toBe(
      'xOz0JZMQoMadMCauIk/mk8djCNXnuUNykpI/ijzfYfDqonlrrvwoM/WT85cxm8WUM+LjqBQIVZpLtQNREZq6Dg==',
    )
  })

  it('observation ids (unsigned, as upstream creates them)', () => {
    const T = 1768774453123456789n
    expect(
      computeEventId({
        ts: T + 5000n,
        svc: 'observation',
        observation: {
          observer: 'alice',
          subject: 'bob',
          type: 'status-change',
          online_state: 'MISSING',
        },
      }),
    ).toBe('c8e6288845a71ef07828f6eb02f40a9d')
    expect(
      computeEventId({
        ts: T + 6000n,
        svc: 'observation',
        observation: { subject: 'bob', type: 'restart', restart_num: 42, start_time: 1700000000 },
      }),
    ).toBe('8e58ec935cc88b69ba353397c0b3309c')
  })

  it('checkpoint strings: attestation v1/v2 and final content, final id', () => {
    const id = '5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8'
    const bobId = '3Mdfo2WyMw3ymj6ZMRVNzuz2JfukoJLWkf2xLaC76A84'
    const observation = { restarts: 100, total_uptime: 50000, start_time: 1624066568 }
    const att = { version: 2, subject_id: id, attester_id: id, observation, as_of_time: 1768774453 }
    expect(attestationMessage(att)).toBe(
      `attestation:v2:${id}:${id}:1768774453:100:50000:1624066568:`,
    )
    expect(attestationMessage({ ...att, version: 0 })).toBe(
      `attestation:v1:${id}:${id}:1768774453:100:50000:1624066568`,
    )
    expect(
      attestationMessage({
        ...att,
        attester_id: bobId,
        last_seen_checkpoint_id: '0123456789abcdef0123456789abcdef',
      }),
    ).toBe(
      `attestation:v2:${bobId}:${id}:1768774453:100:50000:1624066568:0123456789abcdef0123456789abcdef`,
    )
    const cp = { version: 2, subject: 'alice', subject_id: id, observation, as_of_time: 1768774453 }
    expect(checkpointContent(cp)).toBe(`checkpoint:v2:${id}:1768774453:1624066568:100:50000:`)
    expect(checkpointContent({ ...cp, version: 1, subject_id: '' })).toBe(
      'checkpoint:alice:1768774453:1624066568:100:50000',
    )
    const ev = { ts: 1768774453123456789n + 7000n, svc: 'checkpoint', checkpoint: cp }
    expect(computeEventId(ev)).toBe('d9d1651abaa6f81e06363befca92ce60')
  })

  it('ping content rounds half-to-even on the exact binary value', () => {
    expect(formatRttGo(12.25)).toBe('12.2')
    expect(utf8(formatRttGo(0.25))).toEqual(utf8('0.2'))
  })
})
