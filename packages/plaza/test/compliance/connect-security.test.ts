/**
 * Connection security (TLS with a CA minted at test time, broker passwords), against every
 * configuration (one nara or a town, inline or worker-pool verification) on aedes and on
 * mosquitto.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeTestPki, type TestPki } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll } from 'vitest'
import { BROKER_LOGIN, CREDENTIAL_CHECKS, tlsChecks } from './connect-checks.js'
import { describeMatrix } from './matrix.js'

let dir: string | undefined
let pki: TestPki | undefined
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nara-plaza-pki-'))
  pki = await makeTestPki(dir)
})
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})
const thePki = (): TestPki => {
  if (pki === undefined) throw new Error('no test PKI')
  return pki
}

describeMatrix('TLS', tlsChecks(thePki), (factory) => factory.start({ tls: thePki() }))
describeMatrix('username/password', CREDENTIAL_CHECKS, (factory) =>
  factory.start({ ...BROKER_LOGIN }),
)
