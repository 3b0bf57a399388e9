import type { VerifierOptions } from 'fast-jwt'
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE } from '@tandem/contracts'
import { AppError } from './errors.ts'

/** Longer tokens are refused before they are parsed. */
const MAX_TOKEN_LENGTH = 8192

/**
 * What an access token must carry besides a good signature, as fast-jwt verifier options: only
 * EdDSA (so `alg: none`, HS256 with the public key as secret and RS256 fail), the pinned audience
 * and issuer, and every claim Tandem reads. Expiry and `nbf` are always checked.
 */
export function accessTokenRules(issuer: string, audience: string = ACCESS_TOKEN_AUDIENCE) {
  return {
    algorithms: [ACCESS_TOKEN_ALGORITHM as 'EdDSA'],
    allowedAud: audience,
    allowedIss: issuer,
    requiredClaims: ['sub', 'exp', 'iss', 'aud', 'jti'],
    cache: 1000,
  } satisfies Partial<VerifierOptions>
}

/** The token itself if it is a string of a plausible length; a 401 otherwise. */
export function checkedTokenLength(token: unknown): string {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new AppError(401, 'invalid_token', 'missing or malformed access token')
  }
  return token
}

/**
 * The 401 a refused token gets, whoever refused it (fast-jwt, @fastify/jwt, the key lookup):
 * `token_expired` for an expired one, `invalid_token` for everything else. `AppError`s pass as they are.
 */
export function accessTokenError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'FAST_JWT_EXPIRED' || code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
    return new AppError(401, 'token_expired', 'access token has expired')
  }
  return new AppError(401, 'invalid_token', 'access token is not valid')
}
