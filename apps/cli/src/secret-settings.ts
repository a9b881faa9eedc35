/**
 * Where the secrets of the configuration come from: the broker password (`--mqtt-pass`,
 * `--mqtt-pass-file`, `MQTT_PASS`, `MQTT_PASS_FILE`) and the soul file (`--soul-file`,
 * `NARA_SOUL_FILE`). A flag wins over the environment; two sources at the same level are a
 * mistake worth naming. Problems name the variable or flag and the file, never the secret.
 */
import { readFileSync } from 'node:fs'
import type { RawEnvironment, SettingFlags } from './config.js'

/** A resolved secret and the variable or flag it came from. */
export interface SecretValue {
  value: string
  label: string
}

/** Reads a secret file: one trailing line break is dropped (`echo pw > file` is the usual way). */
function readSecretFile(problems: string[], label: string, path: string): string | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code
    problems.push(`${label}: cannot read ${path}: ${why ?? 'unknown error'}`)
    return undefined
  }
  const value = text.replace(/\r?\n$/, '')
  if (value === '') {
    problems.push(`${label}: ${path} is empty`)
    return undefined
  }
  return value
}

/** One level (flags or environment): the value, or the file, not both. */
function oneOf(
  problems: string[],
  direct: { label: string; value: string | undefined },
  file: { label: string; value: string | undefined },
): SecretValue | undefined {
  const hasDirect = direct.value !== undefined && direct.value !== ''
  const hasFile = file.value !== undefined && file.value !== ''
  if (hasDirect && hasFile) {
    problems.push(`${direct.label} and ${file.label}: give one of them, not both`)
    return undefined
  }
  if (hasDirect) return { value: direct.value as string, label: direct.label }
  if (!hasFile) return undefined
  const value = readSecretFile(problems, file.label, file.value as string)
  return value === undefined ? undefined : { value, label: file.label }
}

/** The broker password: flags first, then the environment. */
export function resolvePassword(
  problems: string[],
  env: RawEnvironment,
  flags: SettingFlags,
): SecretValue | undefined {
  if (flags.mqttPass || flags.mqttPassFile) {
    return oneOf(
      problems,
      { label: '--mqtt-pass', value: flags.mqttPass },
      { label: '--mqtt-pass-file', value: flags.mqttPassFile },
    )
  }
  return oneOf(
    problems,
    { label: 'MQTT_PASS', value: env.MQTT_PASS },
    { label: 'MQTT_PASS_FILE', value: env.MQTT_PASS_FILE },
  )
}

/** The soul file: `--soul-file`, else `NARA_SOUL_FILE` (which must not come with `NARA_SOUL`). */
export function resolveSoulFile(
  problems: string[],
  env: RawEnvironment,
  flags: SettingFlags,
): string | undefined {
  if (flags.soulFile !== undefined) {
    if (flags.soulFile === '') problems.push('--soul-file: must not be empty')
    return flags.soulFile || undefined
  }
  if (env.NARA_SOUL_FILE !== undefined && env.NARA_SOUL !== undefined) {
    problems.push('NARA_SOUL and NARA_SOUL_FILE: give one of them, not both')
  }
  return env.NARA_SOUL_FILE
}
