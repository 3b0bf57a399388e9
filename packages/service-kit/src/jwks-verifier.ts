import { createVerifier } from 'fast-jwt'
import type { FastifyJWTOptions, TokenOrHeader } from '@fastify/jwt'
import type { AccessTokenClaims } from '@tandem/contracts'
import { jwksPublicKeys, type JwksKeysOptions } from './jwks-keys.ts'
import { accessTokenError, accessTokenRules, checkedTokenLength } from './access-token-rules.ts'

export interface JwksVerifierOptions extends JwksKeysOptions {
  /** the `iss` every token must carry */
  issuer: string
  audience?: string
}

export interface TokenVerifier {
  /** Resolves to the claims of a valid access token; rejects with a 401 `AppError` otherwise. */
  verify(token: string): Promise<AccessTokenClaims>
}

export interface JwksVerifier extends TokenVerifier {
  /** The same keys and rules as @fastify/jwt options, which `authPlugin` registers for REST requests. */
  readonly fastifyJwt: Required<Pick<FastifyJWTOptions, 'secret' | 'decode' | 'verify'>>
}

/**
 * Verifies access tokens with the public keys auth-service publishes as a JWKS (`jwks-keys.ts`)
 * under the rules of `access-token-rules.ts`. REST requests go through @fastify/jwt with the same
 * keys and rules (`fastifyJwt`); `verify` is that check for a token that comes without a request
 * (the session socket's hello).
 */
export function createJwksVerifier(options: JwksVerifierOptions): JwksVerifier {
  const publicKeyFor = jwksPublicKeys(options)
  const rules = accessTokenRules(options.issuer, options.audience)
  const verifyJwt = createVerifier({ ...rules, key: async (decoded: { header: { kid?: unknown } }) => publicKeyFor(decoded.header) })

  return {
    async verify(token) {
      try {
        return (await verifyJwt(checkedTokenLength(token))) as AccessTokenClaims
      } catch (err) {
        throw accessTokenError(err)
      }
    },
    fastifyJwt: {
      // with `decode: { complete: true }`, @fastify/jwt hands over the whole decoded token
      secret: (_request: unknown, token: TokenOrHeader) => publicKeyFor('header' in token ? token.header : token),
      decode: { complete: true },
      verify: rules,
    },
  }
}
