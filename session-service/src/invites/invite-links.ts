import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Bytes of a new invite id: 128 random bits. */
const INVITE_ID_BYTES = 16
/** Bytes of the HMAC-SHA256 kept in a token: 128 bits, 22 base64url characters. */
const MAC_BYTES = 16
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3)
/** Separates what the MAC covers, so that no other use of the key can produce an invite MAC. */
const MAC_CONTEXT = 'tandem invite v1'

/** A new random invite id (base64url, URL-safe). */
export function newInviteId(): string {
  return randomBytes(INVITE_ID_BYTES).toString('base64url')
}

/**
 * Makes and checks invite tokens. A token is the invite id followed by a MAC of the session id
 * and invite id under the service's key: the store holds only the invite id, so neither a copy
 * of the store nor a token of another session makes a working link. The MAC is the last
 * `MAC_CHARS` characters, so invite ids of any length (older sessions used UUIDs) still work.
 */
export class InviteLinks {
  readonly #key: Buffer

  constructor(key: Buffer) {
    if (key.length === 0) throw new Error('the invite key is empty')
    this.#key = key
  }

  token(sessionId: string, inviteId: string): string {
    return inviteId + this.#mac(sessionId, inviteId)
  }

  /** The link without its origin, as the web app routes it. */
  path(sessionId: string, token: string): string {
    return `/sessions/${sessionId}?invite=${token}`
  }

  /** The invite id `token` names when its MAC is right for `sessionId`; null for anything else. */
  verify(sessionId: string, token: string): string | null {
    if (token.length <= MAC_CHARS) return null
    const inviteId = token.slice(0, -MAC_CHARS)
    const given = Buffer.from(token.slice(-MAC_CHARS))
    const expected = Buffer.from(this.#mac(sessionId, inviteId))
    return given.length === expected.length && timingSafeEqual(given, expected) ? inviteId : null
  }

  #mac(sessionId: string, inviteId: string): string {
    return createHmac('sha256', this.#key)
      .update(`${MAC_CONTEXT}\0${sessionId}\0${inviteId}`)
      .digest()
      .subarray(0, MAC_BYTES)
      .toString('base64url')
  }
}
