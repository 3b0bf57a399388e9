import { RegisterRequestSchema, SignedInSchema } from '@tandem/contracts'
import type { TypedFastify } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'
import { inTransaction } from '../db/pool.ts'
import { insertUser } from '../users/user-repository.ts'
import { enqueueEvent, userRegisteredEvent } from '../outbox/outbox.ts'
import { trimFields } from './trim-fields.ts'
import { signIn } from './sign-in.ts'

/** POST /v1/register: creates the account, records `user.registered` in the outbox, signs in. */
export async function registerRoute(app: TypedFastify, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.post(
    '/v1/register',
    {
      schema: { tags: ['sign-in'], summary: 'create an account and sign in', body: RegisterRequestSchema, response: { 201: SignedInSchema } },
      onRequest: app.attemptLimits.perIp('register'),
      preValidation: trimFields('email', 'displayName'),
      preHandler: app.attemptLimits.perAccount('register'),
    },
    async (request, reply) => {
      const { email, password, displayName } = request.body
      const passwordHash = await ctx.passwords.hash(password)
      const signedIn = await inTransaction(ctx.pool, async (tx) => {
        const user = await insertUser(tx, { email, displayName, passwordHash })
        await enqueueEvent(tx, userRegisteredEvent(user))
        return signIn(ctx, tx, user)
      })
      ctx.relay.wake()
      await app.attemptLimits.signedIn(request, email)
      request.log.info({ userId: signedIn.user.id }, 'user registered')
      return reply.status(201).send(signedIn)
    },
  )
}
