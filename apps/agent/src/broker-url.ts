/**
 * Broker URLs as `MQTT_HOST` gives them: Go's schemes and defaults (a URL without `://` is
 * `tcp://`), a comma-separated list, and their forms without credentials for logs and errors.
 */

/** Default port per scheme. */
export const SCHEMES: Record<string, number> = {
  'mqtt:': 1883,
  'tcp:': 1883,
  'mqtts:': 8883,
  'ssl:': 8883,
  'tls:': 8883,
  'ws:': 80,
  'wss:': 443,
}

/** Parses a broker URL (a URL without `://` is `tcp://`, as in Go). */
export function parseBrokerUrl(text: string): URL | undefined {
  const withScheme = text.includes('://') ? text : `tcp://${text}`
  try {
    const url = new URL(withScheme)
    if (!(url.protocol in SCHEMES) || url.hostname === '') return undefined
    return url
  } catch {
    return undefined
  }
}

/** The entries of a comma-separated `MQTT_HOST`, trimmed. */
export function splitHosts(text: string): string[] {
  return text.split(',').map((entry) => entry.trim())
}

/** An entry as it may be echoed in an error: without `user:pass@`. */
export function redactEntry(entry: string): string {
  return entry.replace(/^([a-z]+:\/\/)?[^/@]*@/i, '$1')
}

/** Broker URL with credentials removed, for logs. */
export function redactUrl(url: string): string {
  const parsed = parseBrokerUrl(url)
  if (!parsed) return '<invalid url>'
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/$/, '')
}
