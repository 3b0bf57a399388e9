import type { FastifyInstance } from 'fastify'
import type { AuthContext } from '../context.ts'
import { revokeFamilyOf, rotateRefreshToken } from '../tokens/refresh-tokens.ts'
import { refreshTokenSchema, tokensSchema } from './schemas.ts'

interface RefreshBody {
  refreshToken: string
}

const refreshBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken: refreshTokenSchema },
} as const

/** POST /v1/refresh (rotates the refresh token) and POST /v1/logout (ends its sign-in). */
export async function refreshRoutes(app: FastifyInstance, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.post<{ Body: RefreshBody }>(
    '/v1/refresh',
    { schema: { body: refreshBodySchema, response: { 200: tokensSchema } } },
    async (request) => {
      const { user, refreshToken } = await rotateRefreshToken(ctx.pool, request.body.refreshToken, ctx.refreshTokenTtlSeconds)
      return { accessToken: ctx.accessTokens.sign(user), refreshToken, expiresIn: ctx.accessTokens.ttlSeconds }
    },
  )

  app.post<{ Body: RefreshBody }>('/v1/logout', { schema: { body: refreshBodySchema } }, async (request, reply) => {
    await revokeFamilyOf(ctx.pool, request.body.refreshToken)
    return reply.status(204).send()
  })
}
