import type { FastifyReply } from 'fastify'
import { noContent, ProfileIdsQuerySchema, ProfileListResponseSchema, ProfileViewSchema, UserIdParamsSchema } from '@tandem/contracts'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import { PROFILE_LIMITS, profileView, userIdPattern, type Profile } from '../profiles/profile.ts'
import type { ProfileStore } from '../profiles/profile-store.ts'
import { ownProfile } from '../profiles/own-profile.ts'
import { etagOf, ifNoneMatchHits } from './etag.ts'

export interface ReadRoutesOptions {
  store: ProfileStore
  now: () => Date
}

/** Browsers may keep a copy but must revalidate it (cheaply, with If-None-Match). */
function sendProfile(reply: FastifyReply, profile: Profile, ifNoneMatch: string | undefined) {
  reply.header('etag', etagOf(profile.version)).header('cache-control', 'private, no-cache')
  if (ifNoneMatchHits(ifNoneMatch, profile.version)) return reply.status(304).send()
  return reply.send(profileView(profile))
}

function parseIds(raw: string): string[] {
  const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))]
  if (ids.length === 0) throw new AppError(400, 'validation_failed', 'ids must list at least one user id')
  if (ids.length > PROFILE_LIMITS.batchMaxIds) {
    throw new AppError(400, 'too_many_ids', `ask for at most ${PROFILE_LIMITS.batchMaxIds} ids at once`)
  }
  const bad = ids.find((id) => !userIdPattern.test(id))
  if (bad !== undefined) throw new AppError(400, 'validation_failed', `ids: "${bad.slice(0, 70)}" is not a user id`)
  return ids
}

const tags = ['profiles']
const security = [{ bearer: [] }]
const oneProfile = { 200: ProfileViewSchema, 304: noContent('not modified: the If-None-Match version is current') }

export async function readProfileRoutes(app: TypedFastify, opts: ReadRoutesOptions): Promise<void> {
  const { store, now } = opts

  app.get('/v1/profiles/me', { schema: { tags, security, summary: 'your own profile', response: oneProfile } }, async (request, reply) => {
    return sendProfile(reply, await ownProfile(store, request.user, now()), request.headers['if-none-match'])
  })

  app.get(
    '/v1/profiles/:userId',
    { schema: { tags, security, summary: "a user's profile", params: UserIdParamsSchema, response: oneProfile } },
    async (request, reply) => {
      const { userId } = request.params
      if (!userIdPattern.test(userId)) throw new AppError(400, 'validation_failed', 'userId is not a user id')
      const profile = await store.findById(userId)
      if (!profile) throw new AppError(404, 'profile_not_found', `no profile for user ${userId}`)
      return sendProfile(reply, profile, request.headers['if-none-match'])
    },
  )

  app.get(
    '/v1/profiles',
    {
      schema: {
        tags,
        security,
        summary: 'the profiles of several users',
        querystring: ProfileIdsQuerySchema,
        response: { 200: ProfileListResponseSchema },
      },
    },
    async (request, reply) => {
      const ids = parseIds(request.query.ids)
      const found = new Map((await store.findByIds(ids)).map((p) => [p.userId, p]))
      const profiles = ids.flatMap((id) => {
        const p = found.get(id)
        return p ? [profileView(p)] : []
      })
      reply.header('cache-control', 'private, no-cache')
      return { profiles }
    },
  )
}
