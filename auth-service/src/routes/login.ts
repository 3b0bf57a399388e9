import type { FastifyInstance } from 'fastify'
import { AppError } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { inTransaction } from '../db/pool.ts'
import { findUserByEmail, updatePasswordHash } from '../users/user-repository.ts'
import { signedInSchema, trimFields } from './schemas.ts'
import { signIn } from './sign-in.ts'

interface LoginBody {
  email: string
  password: string
}

/** POST /v1/login: unknown e-mail and wrong password get the same answer after the same work. */
export async function loginRoute(app: FastifyInstance, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.post<{ Body: LoginBody }>(
    '/v1/login',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password'],
          properties: {
            // loose on purpose (any stored address must be able to sign in), but PostgreSQL text cannot hold NUL
            email: { type: 'string', minLength: 1, maxLength: 254, pattern: '^[^\\u0000]+$' },
            password: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
        response: { 200: signedInSchema },
      },
      onRequest: app.attemptLimits.perIp('login'),
      preValidation: trimFields('email'),
      preHandler: app.attemptLimits.perAccount('login'),
    },
    async (request) => {
      const { email, password } = request.body
      const found = await findUserByEmail(ctx.pool, email)
      const valid = found
        ? await ctx.passwords.verify(found.passwordHash, password)
        : await ctx.passwords.verifyUnknownUser(password)
      if (!found || !valid) {
        throw new AppError(401, 'invalid_credentials', 'e-mail address or password is wrong')
      }
      const { passwordHash, ...user } = found
      if (ctx.passwords.needsRehash(passwordHash)) {
        // the cost parameters were raised since this hash was made: upgrade it while we have the password
        await updatePasswordHash(ctx.pool, user.id, await ctx.passwords.hash(password))
      }
      request.log.info({ userId: user.id }, 'user signed in')
      return inTransaction(ctx.pool, (tx) => signIn(ctx, tx, user))
    },
  )
}
