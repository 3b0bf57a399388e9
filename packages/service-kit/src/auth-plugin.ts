import fp from 'fastify-plugin'
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AccessTokenClaims } from '@tandem/contracts'
import { AppError } from './errors.ts'
import { accessTokenError, checkedTokenLength } from './access-token-rules.ts'
import type { JwksVerifier, TokenVerifier } from './jwks-verifier.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: requires a valid Bearer access token and sets `request.user`. */
    authenticate(request: FastifyRequest): Promise<void>
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims
    user: AccessTokenClaims
  }
}

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization
  if (!header) throw new AppError(401, 'unauthenticated', 'sign in first: Authorization: Bearer <token>')
  const match = /^Bearer ([^\s]+)$/i.exec(header)
  if (!match?.[1]) throw new AppError(401, 'invalid_token', 'Authorization header must be "Bearer <token>"')
  return match[1]
}

function isJwksVerifier(verifier: TokenVerifier): verifier is JwksVerifier {
  return 'fastifyJwt' in verifier
}

/**
 * `app.authenticate`: with a JWKS verifier, @fastify/jwt checks the Bearer token of a request
 * (`request.jwtVerify()`) with that verifier's keys and rules; any other verifier (one a test
 * injects) is asked directly. Either way a refused token is a 401 `AppError`.
 */
export const authPlugin = fp(
  async function auth(app: FastifyInstance, { verifier }: { verifier: TokenVerifier }) {
    if (isJwksVerifier(verifier)) {
      const { secret, decode, verify } = verifier.fastifyJwt
      const extractToken = (request: FastifyRequest) => checkedTokenLength(bearerToken(request))
      await app.register(fastifyJwt, { secret, decode, verify: { ...verify, extractToken } })
      app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
        try {
          await request.jwtVerify()
        } catch (err) {
          throw accessTokenError(err)
        }
      })
    } else {
      app.decorateRequest('user', null as unknown as AccessTokenClaims)
      app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
        request.user = await verifier.verify(bearerToken(request))
      })
    }
  },
  { name: 'tandem-auth' },
)
