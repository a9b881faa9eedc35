/**
 * Keeping secrets out of what the agent shows: broker URLs are displayed as
 * `mqtt://user:***@host:port` (the password never), and every log line is scrubbed of URL
 * passwords and of the secrets the process knows (the broker password, the soul) before it is
 * written, as a last line of defence behind the code that never logs them.
 */

/** What replaces a secret in displayed text. */
export const REDACTED = '***'

/**
 * A broker URL for display: the password replaced by `***` (the user name kept), whatever the
 * scheme. Text that is not a URL is returned with anything like `user:pass@` masked.
 */
export function redactBrokerUrl(url: string): string {
  return scrubUrlPasswords(url)
}

/** Masks the password of every `scheme://user:password@` (and a leading `user:password@`). */
export function scrubUrlPasswords(text: string): string {
  return text
    .replace(/(\/\/[^/@\s:"']*):[^/\s"']*@/g, `$1:${REDACTED}@`)
    .replace(/^([^/@\s:"']+):[^/\s"']*@/, `$1:${REDACTED}@`)
}

/**
 * A scrubber for log lines: URL passwords, and every occurrence of each secret (and of its
 * JSON-escaped and URL-encoded forms). Secrets shorter than 4 characters are left alone: they
 * would mask ordinary words, and no soul or sensible password is that short.
 */
export function secretScrubber(secrets: readonly (string | undefined)[]): (line: string) => string {
  const forms = new Set<string>()
  for (const s of secrets) {
    if (s === undefined || s.length < 4) continue
    forms.add(s)
    forms.add(JSON.stringify(s).slice(1, -1))
    forms.add(encodeURIComponent(s))
  }
  const list = [...forms].sort((a, b) => b.length - a.length)
  return (line) => {
    let out = line.includes('@') ? scrubUrlPasswords(line) : line
    for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED)
    return out
  }
}
