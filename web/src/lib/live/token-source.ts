/** Thrown by a token source when the user is no longer signed in: reconnecting cannot help. */
export class SignedOutError extends Error {
  constructor() {
    super('signed out')
    this.name = 'SignedOutError'
  }
}

/** An access token for `hello`; `fresh` asks for a new one (the last was refused or expired). */
export type TokenSource = (fresh: boolean) => Promise<string>

export interface IssuedToken {
  token: string
  /** ms since the epoch */
  expiresAt: number
}

/** A token this close to expiry is replaced before use rather than sent and refused. */
const MIN_LIFETIME_MS = 30_000

/**
 * Tokens for the session socket: the one the page was served with while it is good, then fresh
 * ones from the web server (`GET /api/token`, which refreshes the sign-in if it must). A 401
 * there means the sign-in is over.
 */
export function pageTokenSource(
  initial: IssuedToken,
  fetchToken: () => Promise<Response>,
  now: () => number = Date.now,
): TokenSource {
  let current = initial
  return async (fresh) => {
    if (!fresh && current.expiresAt - now() > MIN_LIFETIME_MS) return current.token
    const response = await fetchToken()
    if (response.status === 401) throw new SignedOutError()
    if (!response.ok) throw new Error(`token request failed with ${response.status}`)
    const body = (await response.json()) as Partial<IssuedToken>
    if (typeof body.token !== 'string') throw new Error('token response without a token')
    current = { token: body.token, expiresAt: typeof body.expiresAt === 'number' ? body.expiresAt : now() + 60_000 }
    return current.token
  }
}
