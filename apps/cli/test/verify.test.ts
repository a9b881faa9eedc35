/** `nara verify` for one payload: verdicts, exit codes, keyring pinning and the freshness window. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { messageVector } from '@nara/vitest-config/vectors'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNara } from './helpers/run-cli.js'
import { keyringOf } from './helpers/vectors.js'

let dir: string
let fullKeyring: string
let onlyCarol: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-verify-'))
  fullKeyring = path.join(dir, 'all.json')
  writeFileSync(fullKeyring, JSON.stringify(keyringOf()))
  onlyCarol = path.join(dir, 'carol.json')
  writeFileSync(onlyCarol, JSON.stringify(keyringOf(['carol'])))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('nara verify --topic', () => {
  it("rejects a proposal's self-attestation re-wrapped as a vote: self-vote", async () => {
    const proposal = JSON.parse(
      messageVector('checkpoint_proposal', 'proposal_round1').payload_utf8,
    )
    const selfVote = { ...proposal, proposal_ts: proposal.as_of_time, approved: true }
    const r = await runNara(
      ['verify', '--topic', 'nara/checkpoint/vote', '--keyring', fullKeyring, '--json'],
      { stdin: JSON.stringify(selfVote) },
    )
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'reject', reason: 'self-vote' })
  })

  it('accepts a good hey_there with exit 0, naming the sender', async () => {
    const v = messageVector('hey_there', 'hey_there_with_id')
    const r = await runNara(['verify', '--topic', v.transport.topic!], {
      stdin: v.payload_utf8,
      env: { NO_COLOR: '1' },
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^accept {2}hey_there {2}from alice$/m)
  })

  it('rejects a tampered one with exit 1, the reason and the sender', async () => {
    const v = messageVector('hey_there', 'hey_there_with_id__sig_other_key')
    const r = await runNara(['verify', '--topic', v.transport.topic!, '--json'], {
      stdin: v.payload_utf8,
    })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({
      verdict: 'reject',
      reason: 'bad-signature',
      from: 'alice',
      kind: 'hey_there',
      topic: 'nara/plaza/hey_there',
    })
  })

  it('uses the keyring for messages without an embedded key', async () => {
    const v = messageVector('social', 'tease_with_ids')
    const without = await runNara(['verify', '--topic', v.transport.topic!, '--json'], {
      stdin: v.payload_utf8,
    })
    expect(without.code).toBe(1)
    expect(JSON.parse(without.stdout).reason).toBe('unknown-sender')
    const withKeys = await runNara(
      ['verify', '--topic', v.transport.topic!, '--keyring', fullKeyring, '--json'],
      { stdin: v.payload_utf8 },
    )
    expect(withKeys.code).toBe(0)
    expect(JSON.parse(withKeys.stdout)).toMatchObject({ verdict: 'accept', from: 'alice' })
  })

  it('pins: an embedded key that contradicts the keyring is a key-conflict', async () => {
    // alice's genuine hey_there, checked against a keyring that says alice speaks with carol's key.
    const v = messageVector('hey_there', 'hey_there_with_id')
    const carolKey = keyringOf(['carol']).carol!
    const lying = path.join(dir, 'lying.json')
    writeFileSync(lying, JSON.stringify({ alice: carolKey }))
    const r = await runNara(
      ['verify', '--topic', v.transport.topic!, '--keyring', lying, '--json'],
      {
        stdin: v.payload_utf8,
      },
    )
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({
      verdict: 'reject',
      reason: 'key-conflict',
      from: 'alice',
    })
    const ok = await runNara(['verify', '--topic', v.transport.topic!, '--keyring', onlyCarol], {
      stdin: v.payload_utf8,
    })
    expect(ok.code).toBe(0)
  })

  it('decodes a payload without --topic as a gossip SyncEvent', async () => {
    const v = messageVector('ping', 'ping_rtt_12_345')
    const r = await runNara(['verify', '--keyring', fullKeyring, '--json'], {
      stdin: v.payload_utf8,
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'accept', kind: 'ping', topic: null })
  })

  it('checks freshness only with --now, within ±10 min by default or --window', async () => {
    const v = messageVector('hey_there', 'hey_there_with_id')
    const ts = BigInt(v.ts_decimal!)
    const args = ['verify', '--topic', v.transport.topic!, '--json']
    const at = async (nowNs: bigint, extra: string[] = []) => {
      const r = await runNara([...args, '--now', nowNs.toString(), ...extra], {
        stdin: v.payload_utf8,
      })
      return { code: r.code, out: JSON.parse(r.stdout) }
    }
    const minute = 60_000_000_000n
    expect((await at(ts + 9n * minute)).code).toBe(0)
    const late = await at(ts + 11n * minute)
    expect(late.code).toBe(1)
    expect(late.out).toMatchObject({ verdict: 'reject', reason: 'stale' })
    expect((await at(ts - 11n * minute)).out.reason).toBe('stale')
    expect((await at(ts + 11n * minute, ['--window', '3600'])).code).toBe(0)
  })

  it('refuses bad usage with exit 2 and a fix line', async () => {
    const r = await runNara(['verify', '--topic', 'nara/plaza/chau', '--now', 'yesterday'], {
      stdin: '{}',
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/error: --now must be Unix time in nanoseconds/)
    expect(r.stderr).toMatch(/fix: /)
    const missing = await runNara(
      ['verify', '--topic', 'nara/plaza/chau', '--keyring', path.join(dir, 'nope.json')],
      {
        stdin: '{}',
      },
    )
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot read keyring file')
  })
})

describe('nara verify --batch', () => {
  it('writes one verdict per line, in order, and rejects unusable lines without stopping', async () => {
    const good = messageVector('chau', 'chau_with_id')
    const bad = messageVector('chau', 'chau_with_id__sig_other_key')
    const line = (topic: string | null, text: string) =>
      JSON.stringify({ topic, payload_b64: Buffer.from(text).toString('base64') })
    const input = [
      line(good.transport.topic, good.payload_utf8),
      'not json',
      line(bad.transport.topic, bad.payload_utf8),
      JSON.stringify({
        payload_b64: Buffer.from(messageVector('seen', 'seen_with_ids').payload_utf8).toString(
          'base64',
        ),
      }),
      '',
    ].join('\n')
    const r = await runNara(['verify', '--batch', '--keyring', fullKeyring], { stdin: input })
    expect(r.code).toBe(1)
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { verdict: 'accept', reason: null, from: 'alice' },
      { verdict: 'reject', reason: 'bad-input-line: not JSON', from: null },
      { verdict: 'reject', reason: 'bad-signature', from: expect.any(String) },
      { verdict: 'accept', reason: null, from: expect.any(String) },
    ])
  })

  it('exits 0 when every line is accepted', async () => {
    const good = messageVector('chau', 'chau_with_id')
    const input = `${JSON.stringify({ topic: good.transport.topic, payload_b64: Buffer.from(good.payload_utf8).toString('base64') })}\n`
    const r = await runNara(['verify', '--batch'], { stdin: input })
    expect(r.code).toBe(0)
  })
})
