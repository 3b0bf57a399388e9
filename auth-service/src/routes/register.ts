import type { FastifyInstance } from 'fastify'
import type { AuthContext } from '../context.ts'
import { inTransaction } from '../db/pool.ts'
import { insertUser } from '../users/user-repository.ts'
import { enqueueEvent, userRegisteredEvent } from '../outbox/outbox.ts'
import { displayNameSchema, emailSchema, passwordSchema, signedInSchema, trimFields } from './schemas.ts'
import { signIn } from './sign-in.ts'

interface RegisterBody {
  email: string
  password: string
  displayName: string
}

/** POST /v1/register: creates the account, records `user.registered` in the outbox, signs in. */
export async function registerRoute(app: FastifyInstance, { ctx }: { ctx: AuthContext }): Promise<void> {
  app.post<{ Body: RegisterBody }>(
    '/v1/register',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password', 'displayName'],
          properties: { email: emailSchema, password: passwordSchema, displayName: displayNameSchema },
        },
        response: { 201: signedInSchema },
      },
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
      request.log.info({ userId: signedIn.user.id }, 'user registered')
      return reply.status(201).send(signedIn)
    },
  )
}
