import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin']

/** Looks for an executable in PATH and the sbin directories (mosquitto lives in /usr/sbin). */
export function findBinary(name: string, pathEnv: string | undefined): string | undefined {
  const dirs = [...(pathEnv ?? '').split(delimiter).filter((d) => d !== ''), ...EXTRA_DIRS]
  for (const dir of dirs) {
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // keep looking
    }
  }
  return undefined
}

/** Like `findBinary`, but throws a message that says how to install the missing tool. */
export function requireBinary(
  name: string,
  aptPackage: string,
  pathEnv: string | undefined,
): string {
  const found = findBinary(name, pathEnv)
  if (found === undefined) {
    throw new Error(`${name} not found: apt-get install -y ${aptPackage}`)
  }
  return found
}
