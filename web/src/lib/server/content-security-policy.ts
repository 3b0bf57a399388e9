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

/**
 * The connect-src sources the watch page needs for a session's media: hls.js fetches a
 * playlist and its segments, and the page fetches subtitles, from wherever they are on the web
 * (the queue can gain any address after the page has loaded, so no list of hosts would do).
 * An https page can fetch no http address anyway (mixed content), so it allows https only.
 * Every page gets them: a document keeps the policy it was loaded with, and the watch page is
 * often reached by a client-side navigation (from the lobby's form) from another page.
 */
export function mediaConnectSources(pageUrl: URL): string[] {
  return pageUrl.protocol === 'https:' ? ['https:'] : ['http:', 'https:']
}
