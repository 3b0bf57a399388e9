import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import { ProfileChangesSchema, ProfileViewSchema, UserIdParamsSchema, type ProfileChanges } from '@tandem/contracts'
import { AppError, type TypedFastify } from '@tandem/service-kit'
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

const editSchema = {
  tags: ['profiles'],
  summary: 'edit your own profile',
  description: 'With `If-Match: "<version>"` the edit applies only to that version (412 otherwise).',
  security: [{ bearer: [] }],
  body: ProfileChangesSchema,
  response: { 200: ProfileViewSchema },
}

/**
 * The body is checked against ProfileChangesSchema by `parseProfileChanges`, which also
 * normalises names and bios and words each refusal for people; the handler gets the normalised
 * changes. (The `userId` parameter is any string: the owner check decides.)
 */
function validateChanges(body: unknown): { value: ProfileChanges } | { error: Error } {
  try {
    return { value: parseProfileChanges(body) }
  } catch (error) {
    return { error: error as Error }
  }
}
const changesValidatorCompiler = ({ httpPart }: { httpPart?: string }) => (httpPart === 'body' ? validateChanges : () => true)

/**
 * `PATCH /v1/profiles/me`: only the owner edits, so the route acts on the token's user. With
 * `If-Match: "<version>"` the write happens only if nobody edited since that version (412
 * otherwise); without it, the named fields are set whatever the version (see profile-service/README.md).
 */
export async function editProfileRoutes(app: TypedFastify, opts: EditRoutesOptions): Promise<void> {
  const { store, publisher, now } = opts

  async function editOwnProfile(request: FastifyRequest<{ Body: ProfileChanges }>, reply: FastifyReply) {
    const ifMatch = parseIfMatch(request.headers['if-match'])
    const current = await ownProfile(store, request.user, now())
    const expectedVersions = ifMatch === 'any' ? undefined : ifMatch
    if (expectedVersions?.length === 0) throw preconditionFailed(reply, current.version)

    const outcome = await store.update(current.userId, request.body, { expectedVersions, now: now() })
    if (outcome.status === 'version_mismatch') throw preconditionFailed(reply, outcome.current.version)
    if (outcome.status === 'not_found') throw new AppError(404, 'profile_not_found', 'your profile does not exist')

    await publisher.publish(outcome.profile)
    reply.header('etag', etagOf(outcome.profile.version)).header('cache-control', 'no-store')
    return profileView(outcome.profile)
  }

  app.patch('/v1/profiles/me', { schema: editSchema, validatorCompiler: changesValidatorCompiler }, editOwnProfile)

  app.patch(
    '/v1/profiles/:userId',
    {
      schema: { ...editSchema, summary: 'edit your own profile, named by your user id', params: UserIdParamsSchema } satisfies FastifySchema,
      // refused before the body is looked at: someone else's profile is 403 whatever the body
      preValidation: async (request) => {
        if (request.params.userId !== request.user.sub) throw new AppError(403, 'forbidden', 'only the owner of a profile can edit it')
      },
      validatorCompiler: changesValidatorCompiler,
    },
    editOwnProfile,
  )
}

/** 412 with the current ETag, so the client can fetch the newer profile and re-apply its edit. */
function preconditionFailed(reply: FastifyReply, currentVersion: number): AppError {
  reply.header('etag', etagOf(currentVersion))
  return new AppError(412, 'precondition_failed', 'the profile was changed since you loaded it; reload and try again')
}
