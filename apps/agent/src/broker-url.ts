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

/**
 * Why an entry is not a broker URL, in words an operator can act on (the entry echoed without
 * credentials), or undefined when it is one.
 */
export function brokerUrlProblem(entry: string): string | undefined {
  if (entry === '') return 'an empty entry is not a broker URL (remove the extra ",")'
  if (parseBrokerUrl(entry) !== undefined) return undefined
  const shown = `"${redactEntry(entry)}"`
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(entry)?.[1]?.toLowerCase()
  if (scheme !== undefined && !(`${scheme}:` in SCHEMES))
    return `${shown}: unknown scheme "${scheme}://" (use ${Object.keys(SCHEMES)
      .map((s) => `${s}//`)
      .join(', ')})`
  const port = /:(\d+)(?:\/|$)/.exec(entry.replace(/^[a-z]+:\/\//i, ''))?.[1]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return `${shown}: port ${port} is out of range (expected a port number 1..65535)`
  return `${shown} is not a broker URL (expected a comma-separated list of URLs like mqtt://host:1883, tcp://host, tls://host:8883, ws://host/path)`
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
