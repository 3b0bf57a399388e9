import { LoginRequestSchema, SignedInSchema } from '@tandem/contracts'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { inTransaction } from '../db/pool.ts'
import { findUserByEmail, updatePasswordHash } from '../users/user-repository.ts'
import { trimFields } from './trim-fields.ts'
import { signIn } from './sign-in.ts'

/** POST /v1/login: unknown e-mail and wrong password get the same answer after the same work. */
export async function loginRoute(app: TypedFastify, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.post(
    '/v1/login',
    {
      schema: { tags: ['sign-in'], summary: 'sign in with e-mail and password', body: LoginRequestSchema, response: { 200: SignedInSchema } },
      onRequest: app.attemptLimits.perIp('login'),
      preValidation: trimFields('email'),
      preHandler: [app.attemptLimits.perAccount('login'), app.attemptLimits.accountHold()],
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
      await app.attemptLimits.signedIn(request, email)
      request.log.info({ userId: user.id }, 'user signed in')
      return inTransaction(ctx.pool, (tx) => signIn(ctx, tx, user))
    },
  )
}
