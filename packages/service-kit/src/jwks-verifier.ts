import { createPublicKey } from 'node:crypto'
import buildGetJwks from 'get-jwks'
import { createVerifier, type DecodedJwt } from 'fast-jwt'
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, type AccessTokenClaims } from '@tandem/contracts'
import { AppError } from './errors.ts'

export interface JwksVerifierOptions {
  /** e.g. http://127.0.0.1:4001/.well-known/jwks.json */
  jwksUrl: string
  /** the `iss` every token must carry */
  issuer: string
  audience?: string
  /** how long fetched keys are cached (ms) */
  cacheTtlMs?: number
  /** at most one JWKS fetch for unknown `kid`s per this many ms, so garbage tokens cannot flood auth-service */
  unknownKidRefetchIntervalMs?: number
}

export interface TokenVerifier {
  /** Resolves to the claims of a valid access token; rejects with a 401 `AppError` otherwise. */
  verify(token: string): Promise<AccessTokenClaims>
}

/**
 * Verifies access tokens with the public keys auth-service publishes as a JWKS: keys are cached
 * and refetched when a token names an unknown `kid` (key rotation). Only EdDSA is accepted, so
 * `alg: none` and HS256-with-the-public-key tokens fail, as do expired ones and wrong `aud`/`iss`.
 */
export function createJwksVerifier(options: JwksVerifierOptions): TokenVerifier {
  const url = new URL(options.jwksUrl)
  const jwks = buildGetJwks({ jwksPath: url.pathname, ttl: options.cacheTtlMs ?? 5 * 60_000, max: 50 })
  const domain = url.origin
  const knownKids = new Set<string>()
  const minRefetchInterval = options.unknownKidRefetchIntervalMs ?? 1000
  let lastUnknownKidFetch = 0
  /** The fetch for an unknown kid under way, which tokens arriving meanwhile wait for. */
  let unknownKidFetch: Promise<unknown> | undefined

  async function jwkFor(kid: string): Promise<Record<string, unknown>> {
    try {
      return (await jwks.getJwk({ domain, alg: ACCESS_TOKEN_ALGORITHM, kid })) as Record<string, unknown>
    } catch {
      throw new AppError(401, 'invalid_token', 'token is signed with an unknown key')
    }
  }

  async function keyFor(decoded: DecodedJwt): Promise<string> {
    const kid = decoded.header.kid as unknown
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 200) {
      throw new AppError(401, 'invalid_token', 'token has no usable key id')
    }
    // Every client of a freshly started replica (or of a new key) arrives at once: those behind
    // the first wait for its fetch instead of being refused by the refetch limit.
    if (!knownKids.has(kid) && unknownKidFetch) await unknownKidFetch.catch(() => undefined)
    let jwk: Record<string, unknown>
    if (knownKids.has(kid)) {
      jwk = await jwkFor(kid)
    } else {
      const now = Date.now()
      if (now - lastUnknownKidFetch < minRefetchInterval) {
        throw new AppError(401, 'invalid_token', 'token is signed with an unknown key')
      }
      lastUnknownKidFetch = now
      const fetching = jwkFor(kid)
      unknownKidFetch = fetching
      try {
        jwk = await fetching
      } finally {
        if (unknownKidFetch === fetching) unknownKidFetch = undefined
      }
      knownKids.add(kid)
    }
    return pemOf(jwk)
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

  const verifyJwt = createVerifier({
    key: keyFor,
    algorithms: [ACCESS_TOKEN_ALGORITHM as 'EdDSA'],
    allowedAud: options.audience ?? ACCESS_TOKEN_AUDIENCE,
    allowedIss: options.issuer,
    requiredClaims: ['sub', 'exp', 'iss', 'aud', 'jti'],
    cache: 1000,
  })

  return {
    async verify(token: string): Promise<AccessTokenClaims> {
      if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
        throw new AppError(401, 'invalid_token', 'missing or malformed access token')
      }
      try {
        return (await verifyJwt(token)) as AccessTokenClaims
      } catch (err) {
        if (err instanceof AppError) throw err
        const code = (err as { code?: string }).code
        if (code === 'FAST_JWT_EXPIRED') throw new AppError(401, 'token_expired', 'access token has expired')
        throw new AppError(401, 'invalid_token', 'access token is not valid')
      }
    },
  }
}
