import { createPublicKey } from 'node:crypto'
import buildGetJwks from 'get-jwks'
import { ACCESS_TOKEN_ALGORITHM } from '@tandem/contracts'

export interface JwksKeysOptions {
  /**
   * e.g. http://127.0.0.1:4001/.well-known/jwks.json, or a function giving it at the first fetch
   * (a server that checks tokens against its own JWKS knows its port only once it listens)
   */
  jwksUrl: string | (() => string)
  /** how long fetched keys are cached (ms) */
  cacheTtlMs?: number
  /** at most one JWKS fetch for unknown `kid`s per this many ms, so garbage tokens cannot flood auth-service */
  unknownKidRefetchIntervalMs?: number
}

/** The public key (PEM) that the `kid` of a token header names; rejects when there is none. */
export type PublicKeyLookup = (header: { kid?: unknown }) => Promise<string>

/**
 * Signing keys from the issuer's JWKS: cached for a TTL by get-jwks, refetched when a token names
 * an unknown `kid` (key rotation), but at most once per interval.
 */
export function jwksPublicKeys(options: JwksKeysOptions): PublicKeyLookup {
  const ttl = options.cacheTtlMs ?? 5 * 60_000
  let source: { jwks: ReturnType<typeof buildGetJwks>; domain: string } | undefined
  function jwksSource() {
    if (!source) {
      const url = new URL(typeof options.jwksUrl === 'string' ? options.jwksUrl : options.jwksUrl())
      source = { jwks: buildGetJwks({ jwksPath: url.pathname, ttl, max: 50 }), domain: url.origin }
    }
    return source
  }
  const knownKids = new Set<string>()
  const minRefetchInterval = options.unknownKidRefetchIntervalMs ?? 1000
  let lastUnknownKidFetch = 0
  /** The fetch for an unknown kid under way, which tokens arriving meanwhile wait for. */
  let unknownKidFetch: Promise<unknown> | undefined

  async function jwkFor(kid: string): Promise<Record<string, unknown>> {
    const { jwks, domain } = jwksSource()
    try {
      return (await jwks.getJwk({ domain, alg: ACCESS_TOKEN_ALGORITHM, kid })) as Record<string, unknown>
    } catch {
      throw new Error('token is signed with an unknown key')
    }
  }

  /** get-jwks hands out the same JWK object while it caches it, so its PEM is converted once. */
  const pems = new WeakMap<object, string>()
  function pemOf(jwk: Record<string, unknown>): string {
    let pem = pems.get(jwk)
    if (!pem) {
      pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
      pems.set(jwk, pem)
    }
    return pem
  }

  return async function publicKeyFor(header) {
    // the JWKS address first: a server that cannot name it yet (not listening) answers that, whatever the token
    jwksSource()
    const kid = header.kid
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200) throw new Error('token has no usable key id')
    // Every client of a freshly started replica (or of a new key) arrives at once: those behind
    // the first wait for its fetch instead of being refused by the refetch limit.
    if (!knownKids.has(kid) && unknownKidFetch) await unknownKidFetch.catch(() => undefined)
    if (knownKids.has(kid)) return pemOf(await jwkFor(kid))
    const now = Date.now()
    if (now - lastUnknownKidFetch < minRefetchInterval) throw new Error('token is signed with an unknown key')
    lastUnknownKidFetch = now
    const fetching = jwkFor(kid)
    unknownKidFetch = fetching
    try {
      const jwk = await fetching
      knownKids.add(kid)
      return pemOf(jwk)
    } finally {
      if (unknownKidFetch === fetching) unknownKidFetch = undefined
    }
  }
}
