import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { requireBinary } from './find-binary.js'

const execFileAsync = promisify(execFile)

/** Paths and PEM contents of a throwaway test PKI (see {@link makeTestPki}). */
export interface TestPki {
  caFile: string
  caKeyFile: string
  certFile: string
  keyFile: string
  clientCertFile: string
  clientKeyFile: string
  ca: string
  cert: string
  key: string
  clientCert: string
  clientKey: string
}

/**
 * Generates with `openssl`, in `dir`: a CA (`ca.crt`), a server certificate for `localhost`
 * (subjectAltName DNS:localhost, IP:127.0.0.1) and a client certificate, all signed by that
 * CA and valid for two days. P-256 keys, so it takes a few milliseconds.
 */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const openssl = requireBinary('openssl', 'openssl', process.env.PATH)
  await mkdir(dir, { recursive: true })
  const p = (name: string) => join(dir, name)
  const run = (args: string[]) => execFileAsync(openssl, args, { cwd: dir })
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

  await run([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=nara test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await writeFile(
    p('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' +
      'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  )
  await writeFile(
    p('client.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  )
  for (const [who, cn] of [
    ['server', 'localhost'],
    ['client', 'nara test client'],
  ] as const) {
    await run([
      'req',
      ...ecKey,
      '-keyout',
      p(`${who}.key`),
      '-out',
      p(`${who}.csr`),
      '-subj',
      `/CN=${cn}`,
    ])
    await run([
      'x509',
      '-req',
      '-in',
      p(`${who}.csr`),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p(`${who}.crt`),
      '-days',
      '2',
      '-extfile',
      p(`${who}.ext`),
    ])
  }
  const read = (name: string) => readFile(p(name), 'utf8')
  return {
    caFile: p('ca.crt'),
    caKeyFile: p('ca.key'),
    certFile: p('server.crt'),
    keyFile: p('server.key'),
    clientCertFile: p('client.crt'),
    clientKeyFile: p('client.key'),
    ca: await read('ca.crt'),
    cert: await read('server.crt'),
    key: await read('server.key'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
  }
}
