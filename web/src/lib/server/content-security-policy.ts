/**
 * session-service's public address as the page's connect-src sources: its origin (REST) and the
 * same host as ws(s) (the session socket). A path in the address does not matter to CSP.
 */
export function sessionServiceSources(publicSessionUrl: string): string[] {
  const url = new URL(publicSessionUrl)
  const socket = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return [url.origin, `${socket}//${url.host}`]
}

/** The policy with `sources` appended to its connect-src directive (left as it is if it has none). */
export function withConnectSources(policy: string, sources: readonly string[]): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '')
    .map((directive) => (directive.split(/\s+/)[0] === 'connect-src' ? [directive, ...sources].join(' ') : directive))
    .join('; ')
}
