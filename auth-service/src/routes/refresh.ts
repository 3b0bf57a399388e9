import { noContent, RefreshRequestSchema, TokensSchema } from '@tandem/contracts'
import type { TypedFastify } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { revokeFamilyOf, rotateRefreshToken } from '../tokens/refresh-tokens.ts'

/** POST /v1/refresh (rotates the refresh token) and POST /v1/logout (ends its sign-in). */
export async function refreshRoutes(app: TypedFastify, { ctx }: { ctx: AuthContext }): Promise<void> {
  const tags = ['sign-in']
  app.post(
    '/v1/refresh',
    { schema: { tags, summary: 'trade a refresh token for new tokens', body: RefreshRequestSchema, response: { 200: TokensSchema } } },
    async (request) => {
      const { user, refreshToken } = await rotateRefreshToken(ctx.pool, request.body.refreshToken, ctx.refresh)
      return { accessToken: ctx.accessTokens.sign(user), refreshToken, expiresIn: ctx.accessTokens.ttlSeconds }
    },
  )

  const loggedOut = noContent('the sign-in has ended')
  app.post(
    '/v1/logout',
    { schema: { tags, summary: 'end the sign-in of a refresh token', body: RefreshRequestSchema, response: { 204: loggedOut } } },
    async (request, reply) => {
      await revokeFamilyOf(ctx.pool, request.body.refreshToken)
      return reply.status(204).send()
    },
  )
}
