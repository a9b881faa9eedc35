/**
 * Inbound security regressions (key pinning, checkpoints, replays, budgets), against every
 * configuration (one nara or a town, inline or worker-pool verification) on aedes and on
 * mosquitto: each message published raw by an attacker.
 */
import { describeMatrix } from './matrix.js'
import {
  newspaperOnAnotherTopic,
  newspaperTofuTopicOnly,
  oneKeyOneName,
  socialUpgradesTopicPin,
  squattedNaraId,
  weakPinNeverBlocks,
} from './pinning-checks.js'
import {
  asOfTimeWindow,
  junkCannotSpendBudget,
  newspaperReplayAndUptime,
  oneKeyOneVoter,
  strictVoteSignatures,
} from './replay-checks.js'

describeMatrix('inbound security regressions', {
  "one key, one name: alice's genuine newspaper replayed on mallory's topic is never accepted as mallory":
    newspaperOnAnotherTopic,
  'newspaper trust on first use at a weaker tier: an unknown nara is learned from its newspaper, name flagged topic-only':
    newspaperTofuTopicOnly,
  'a weak pin never blocks a signed claim: hey_there for the name or the key supersedes it (key-conflict event)':
    weakPinNeverBlocks,
  'a signed social upgrades a topic-only pin; a social under an unpinned name is refused even when its ID is bound':
    socialUpgradesTopicPin,
  "one key speaks for one name: alice's key cannot be pinned to a second name": oneKeyOneName,
  'a squatted NaraID becomes disputed: alice is still delivered, the ID verifies nothing':
    squattedNaraId,
  'one key is one checkpoint voter: a final from one key under many IDs is refused': oneKeyOneVoter,
  'decodes signatures strictly and deduplicates votes on the signed text: one vote is delivered once':
    strictVoteSignatures,
  'refuses proposals and votes whose as_of_time is outside the freshness window': asOfTimeWindow,
  'a replayed newspaper is a duplicate, and an older one (lower Uptime) is stale until the next hey_there':
    newspaperReplayAndUptime,
  'junk claiming alice cannot rate-limit alice: only verified messages take from her bucket':
    junkCannotSpendBudget,
})
