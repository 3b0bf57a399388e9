import type { AccessTokenClaims } from '@tandem/contracts'
import type { TokenVerifier } from '@tandem/service-kit'

/** Frames kept while the token is checked and the session loaded; more are dropped as a flood. */
const MAX_EARLY_FRAMES = 64
/** setTimeout's longest delay; a timer set longer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface HandshakeOptions {
  verifier: TokenVerifier
  helloTimeoutMs: number
  now(): number
  /** No hello arrived in time. */
  onHelloTimeout(): void
  /** The token hello carried has expired: the socket must not outlive it. */
  onTokenExpired(): void
}

export type Verification = { ok: true; user: AccessTokenClaims } | { ok: false; message: string }

/**
 * The start of a socket's life: hello within the time limit, its access token verified (once:
 * the socket is told when the token expires), and the frames that arrive while the session is
 * being joined kept for afterwards.
 */
export class Handshake {
  readonly #helloTimer: NodeJS.Timeout
  #tokenExpiryTimer: NodeJS.Timeout | undefined
  readonly #early: string[] = []
  #earlyDropped = 0

  constructor(private readonly options: HandshakeOptions) {
    this.#helloTimer = setTimeout(options.onHelloTimeout, options.helloTimeoutMs)
  }

  /** Verifies hello's token; the hello timer stops either way. */
  async verify(token: string): Promise<Verification> {
    clearTimeout(this.#helloTimer)
    let user: AccessTokenClaims
    try {
      user = await this.options.verifier.verify(token)
    } catch (err) {
      const expired = (err as { code?: string }).code === 'token_expired'
      return { ok: false, message: expired ? 'access token has expired' : 'access token is not valid' }
    }
    this.#tellWhenExpired(user.exp * 1000)
    return { ok: true, user }
  }

  /** Keeps a frame that arrived before the socket was open. */
  keepEarly(text: string): void {
    if (this.#early.length < MAX_EARLY_FRAMES) this.#early.push(text)
    else this.#earlyDropped++
  }

  /** The frames kept, oldest first, and whether more arrived than were kept. */
  takeEarly(): { frames: string[]; dropped: boolean } {
    return { frames: this.#early.splice(0), dropped: this.#earlyDropped > 0 }
  }

  stop(): void {
    clearTimeout(this.#helloTimer)
    clearTimeout(this.#tokenExpiryTimer)
  }

  #tellWhenExpired(expiresAt: number): void {
    const delay = Math.min(Math.max(expiresAt - this.options.now(), 0), MAX_TIMER_MS)
    this.#tokenExpiryTimer = setTimeout(this.options.onTokenExpired, delay)
  }
}
