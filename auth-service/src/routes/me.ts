import type { FastifyInstance } from 'fastify'
import { AppError } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { findUserById } from '../users/user-repository.ts'
import { userSchema } from './schemas.ts'

/** GET /v1/me: the signed-in user, checked by the same JWKS verifier every other service uses. */
export async function meRoute(app: FastifyInstance, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.get(
    '/v1/me',
    { preHandler: app.authenticate, schema: { response: { 200: userSchema } } },
    async (request) => {
      const user = await findUserById(ctx.pool, request.user.sub)
      if (!user) throw new AppError(404, 'user_not_found', 'this account no longer exists')
      return user
    },
  )
}
