import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, JWKS_PATH } from '@tandem/contracts'
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'

export interface SignedInUser {
  id: string
  displayName: string
}

export interface VerifiedAccess {
  user: SignedInUser
  /** ms since epoch */
  expiresAt: number
}

export type AccessVerifier = (token: string) => Promise<VerifiedAccess | null>

/**
 * Checks an access token the way every Tandem service does: EdDSA only, signed by a key of
 * auth-service's JWKS (fetched once, refetched for an unknown `kid`), audience and issuer
 * pinned, not expired. Anything else is treated as signed out.
 */
export function accessVerifier(options: { authUrl: string; issuer: string; keys?: JWTVerifyGetKey }): AccessVerifier {
  const keys = options.keys ?? createRemoteJWKSet(new URL(JWKS_PATH, `${options.authUrl}/`))
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        audience: ACCESS_TOKEN_AUDIENCE,
        issuer: options.issuer,
      })
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null
      const displayName = typeof payload.name === 'string' ? payload.name : ''
      return { user: { id: payload.sub, displayName }, expiresAt: payload.exp * 1000 }
    } catch {
      return null
    }
  }
}
