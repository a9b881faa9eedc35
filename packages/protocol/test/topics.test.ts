import { describe, expect, it } from 'vitest'
import {
  classifyTopic,
  isValidName,
  ledgerRequestTopic,
  ledgerResponseTopic,
  MAX_NAME_BYTES,
  newspaperTopic,
  parseLedgerTopic,
  parseNewspaperTopic,
  subscriptionTopics,
  TOPICS,
  topicQos,
} from './helpers/public-api.js'

describe('topics', () => {
  it('has the exact WIRE.md §0 strings', () => {
    expect(TOPICS).toEqual({
      heyThere: 'nara/plaza/hey_there',
      chau: 'nara/plaza/chau',
      howdy: 'nara/plaza/howdy',
      social: 'nara/plaza/social',
      journeyComplete: 'nara/plaza/journey_complete',
      stashRefresh: 'nara/plaza/stash_refresh',
      newspaperWildcard: 'nara/newspaper/#',
      checkpointPropose: 'nara/checkpoint/propose',
      checkpointVote: 'nara/checkpoint/vote',
      checkpointFinal: 'nara/checkpoint/final',
    })
    expect(newspaperTopic('alice')).toBe('nara/newspaper/alice')
    expect(ledgerRequestTopic('bob')).toBe('nara/ledger/bob/request')
    expect(ledgerResponseTopic('bob')).toBe('nara/ledger/bob/response')
  })

  it('lists the twelve subscriptions in Go order (WIRE.md §1.3)', () => {
    expect(subscriptionTopics('me')).toEqual([
      'nara/plaza/hey_there',
      'nara/plaza/chau',
      'nara/plaza/howdy',
      'nara/plaza/social',
      'nara/plaza/journey_complete',
      'nara/plaza/stash_refresh',
      'nara/newspaper/#',
      'nara/ledger/me/request',
      'nara/ledger/me/response',
      'nara/checkpoint/propose',
      'nara/checkpoint/vote',
      'nara/checkpoint/final',
    ])
  })

  it('publishes checkpoint topics at QoS 1 and everything else at QoS 0', () => {
    expect(topicQos(TOPICS.checkpointPropose)).toBe(1)
    expect(topicQos(TOPICS.checkpointVote)).toBe(1)
    expect(topicQos(TOPICS.checkpointFinal)).toBe(1)
    for (const t of [TOPICS.heyThere, TOPICS.howdy, newspaperTopic('a'), ledgerRequestTopic('a')]) {
      expect(topicQos(t)).toBe(0)
    }
  })

  it('classifies topics', () => {
    expect(classifyTopic('nara/plaza/hey_there')).toBe('hey_there')
    expect(classifyTopic('nara/plaza/hey-there')).toBeNull()
    expect(classifyTopic('nara/plaza/newspaper/alice')).toBeNull()
    expect(classifyTopic('nara/newspaper/alice')).toBe('newspaper')
    expect(classifyTopic('nara/newspaper/#')).toBeNull()
    expect(classifyTopic('nara/newspaper/a/b')).toBeNull()
    expect(classifyTopic('nara/ledger/bob/request')).toBe('ledger_request')
    expect(classifyTopic('nara/ledger/bob/response')).toBe('ledger_response')
    expect(classifyTopic('nara/ledger//request')).toBeNull()
    expect(classifyTopic('nara/checkpoint/final')).toBe('checkpoint_final')
    expect(classifyTopic('nara/plaza/stash_refresh')).toBe('stash_refresh')
    expect(classifyTopic('')).toBeNull()
    expect(parseLedgerTopic('nara/ledger/x/y/request')).toBeNull()
  })

  it('parses the newspaper topic back to the name', () => {
    for (const name of [
      'alice',
      'noisy-bear-189',
      'nara.local',
      '🌮taco',
      'x'.repeat(MAX_NAME_BYTES),
    ]) {
      expect(parseNewspaperTopic(newspaperTopic(name))).toBe(name)
    }
    expect(parseNewspaperTopic('nara/newspaper/')).toBeNull()
    expect(parseNewspaperTopic('nara/plaza/hey_there')).toBeNull()
  })

  it.each([
    ['empty', ''],
    ['slash', 'a/b'],
    ['plus', 'a+b'],
    ['hash', 'a#b'],
    ['NUL', 'a\u0000b'],
    ['control', 'a\u0007b'],
    ['DEL', 'a\u007fb'],
    ['C1 control', 'a\u0085b'],
    ['lone surrogate', 'a\ud800b'],
    ['oversized (65 bytes)', 'x'.repeat(MAX_NAME_BYTES + 1)],
    ['oversized multibyte (22 x 3 bytes)', '日'.repeat(22)],
  ])('refuses a name with %s', (_label, name) => {
    expect(isValidName(name)).toBe(false)
    expect(() => newspaperTopic(name)).toThrow(RangeError)
    expect(() => ledgerRequestTopic(name)).toThrow(RangeError)
    expect(parseNewspaperTopic(`nara/newspaper/${name}`)).toBeNull()
  })

  it('accepts 64 UTF-8 bytes of multibyte characters', () => {
    expect(isValidName('日'.repeat(21))).toBe(true) // 63 bytes
    expect(isValidName('😀'.repeat(16))).toBe(true) // 64 bytes
    expect(isValidName(`${'😀'.repeat(16)}x`)).toBe(false)
  })
})
