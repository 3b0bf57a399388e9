import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, type AccessTokenClaims } from '@tandem/contracts'
import type { SigningKey } from './signing-keys.ts'

export interface AccessTokenSigner {
  readonly ttlSeconds: number
  sign(user: { id: string; displayName: string }): string
}

/** Signs EdDSA access tokens with `kid` in the header, valid for `ttlSeconds`. */
export function createAccessTokenSigner(opts: { key: SigningKey; issuer: string; ttlSeconds: number }): AccessTokenSigner {
  const signer = createSigner({ key: opts.key.privateKeyPem, algorithm: ACCESS_TOKEN_ALGORITHM as 'EdDSA', kid: opts.key.kid })
  return {
    ttlSeconds: opts.ttlSeconds,
    sign(user) {
      const now = Math.floor(Date.now() / 1000)
      const claims: AccessTokenClaims = {
        sub: user.id,
        name: user.displayName,
        iss: opts.issuer,
        aud: ACCESS_TOKEN_AUDIENCE,
        iat: now,
        exp: now + opts.ttlSeconds,
        jti: randomUUID(),
      }
      return signer(claims)
    },
  }
}
