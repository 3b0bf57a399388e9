import type { Tokens } from '../api/auth.ts'

/**
 * Refresh tokens are single use: auth-service rotates them, and treats a second use of an old one
 * as theft (the whole sign-in is revoked). A page load often fires several requests at once with
 * the same expired cookie, so concurrent refreshes of one token share a single call, and its
 * result is remembered briefly for requests that still carry the old cookie.
 */
export class RefreshCoordinator {
  readonly #refresh: (refreshToken: string) => Promise<Tokens>
  readonly #now: () => number
  readonly #rememberMs: number
  readonly #inFlight = new Map<string, Promise<Tokens>>()
  readonly #recent = new Map<string, { tokens: Tokens; until: number }>()

  constructor(refresh: (refreshToken: string) => Promise<Tokens>, options: { now?: () => number; rememberMs?: number } = {}) {
    this.#refresh = refresh
    this.#now = options.now ?? Date.now
    this.#rememberMs = options.rememberMs ?? 30_000
  }

  refresh(refreshToken: string): Promise<Tokens> {
    const now = this.#now()
    for (const [token, entry] of this.#recent) if (entry.until <= now) this.#recent.delete(token)
    const recent = this.#recent.get(refreshToken)
    if (recent) return Promise.resolve(recent.tokens)
    const running = this.#inFlight.get(refreshToken)
    if (running) return running
    const call = this.#refresh(refreshToken)
      .then((tokens) => {
        this.#recent.set(refreshToken, { tokens, until: this.#now() + this.#rememberMs })
        return tokens
      })
      .finally(() => this.#inFlight.delete(refreshToken))
    this.#inFlight.set(refreshToken, call)
    return call
  }
}
