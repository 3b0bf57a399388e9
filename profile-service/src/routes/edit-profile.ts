import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '@tandem/service-kit'
import { profileView } from '../profiles/profile.ts'
import type { ProfileStore } from '../profiles/profile-store.ts'
import { ownProfile } from '../profiles/own-profile.ts'
import { parseProfileChanges } from '../profiles/validation.ts'
import type { ProfileUpdatedPublisher } from '../events/profile-updated-publisher.ts'
import { etagOf, parseIfMatch } from './etag.ts'

export interface EditRoutesOptions {
  store: ProfileStore
  publisher: ProfileUpdatedPublisher
  now: () => Date
}

/**
 * `PATCH /v1/profiles/me`: only the owner edits, so the route acts on the token's user. With
 * `If-Match: "<version>"` the write happens only if nobody edited since that version (412
 * otherwise); without it, the named fields are set whatever the version (see profile-service/README.md).
 */
export async function editProfileRoutes(app: FastifyInstance, opts: EditRoutesOptions): Promise<void> {
  const { store, publisher, now } = opts

  async function editOwnProfile(request: FastifyRequest, reply: FastifyReply) {
    const changes = parseProfileChanges(request.body)
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const current = await ownProfile(store, request.user, now())
    const expectedVersions = ifMatch === 'any' ? undefined : ifMatch
    if (expectedVersions?.length === 0) throw preconditionFailed(reply, current.version)

    const outcome = await store.update(current.userId, changes, { expectedVersions, now: now() })
    if (outcome.status === 'version_mismatch') throw preconditionFailed(reply, outcome.current.version)
    if (outcome.status === 'not_found') throw new AppError(404, 'profile_not_found', 'your profile does not exist')

    await publisher.publish(outcome.profile)
    reply.header('etag', etagOf(outcome.profile.version)).header('cache-control', 'no-store')
    return profileView(outcome.profile)
  }

  app.patch('/v1/profiles/me', editOwnProfile)

  app.patch<{ Params: { userId: string } }>('/v1/profiles/:userId', async (request, reply) => {
    if (request.params.userId !== request.user.sub) {
      throw new AppError(403, 'forbidden', 'only the owner of a profile can edit it')
    }
    return editOwnProfile(request, reply)
  })
}

/** 412 with the current ETag, so the client can fetch the newer profile and re-apply its edit. */
function preconditionFailed(reply: FastifyReply, currentVersion: number): AppError {
  reply.header('etag', etagOf(currentVersion))
  return new AppError(412, 'precondition_failed', 'the profile was changed since you loaded it; reload and try again')
}
