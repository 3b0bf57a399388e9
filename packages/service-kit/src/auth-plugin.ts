import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AccessTokenClaims } from '@tandem/contracts'
import { AppError } from './errors.ts'
import type { TokenVerifier } from './jwks-verifier.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: requires a valid Bearer access token and sets `request.user`. */
    authenticate(request: FastifyRequest): Promise<void>
  }
  interface FastifyRequest {
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

export const authPlugin = fp(
  async function auth(app: FastifyInstance, opts: { verifier: TokenVerifier }) {
    app.decorateRequest('user', null as unknown as AccessTokenClaims)
    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      request.user = await opts.verifier.verify(bearerToken(request))
    })
  },
  { name: 'tandem-auth' },
)
