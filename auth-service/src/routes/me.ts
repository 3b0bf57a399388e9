import { UserViewSchema } from '@tandem/contracts'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { findUserById } from '../users/user-repository.ts'

/** GET /v1/me: the signed-in user, checked by the same JWKS verifier every other service uses. */
export async function meRoute(app: TypedFastify, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.get(
    '/v1/me',
    {
      preHandler: app.authenticate,
      schema: { tags: ['users'], summary: 'the signed-in user', security: [{ bearer: [] }], response: { 200: UserViewSchema } },
    },
    async (request) => {
      const user = await findUserById(ctx.pool, request.user.sub)
      if (!user) throw new AppError(404, 'user_not_found', 'this account no longer exists')
      return user
    },
  )
}
