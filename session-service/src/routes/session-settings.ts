import type { TypedFastify } from '@tandem/service-kit'
import { RevisionResponseSchema, SessionIdParamsSchema, UpdateSessionRequestSchema } from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import { commandRunner, routeDocs, sessionIdParam } from './session-commands.ts'

export interface SessionSettingsRoutesOptions {
  hub: SessionHub
  now(): number
}

/**
 * `PATCH /v1/sessions/:id`: the host changes visibility and who may share the invite link.
 * Answers the revision the change is at, like join, leave and end; the new settings reach every
 * socket as `VisibilityChanged` / `InvitePolicyChanged` events (and `GET /v1/sessions/:id`).
 */
export function sessionSettingsRoutes(app: TypedFastify, opts: SessionSettingsRoutesOptions): void {
  const run = commandRunner(opts.hub, opts.now)
  app.patch(
    '/v1/sessions/:id',
    {
      schema: {
        ...routeDocs,
        summary: 'change the settings of a session (host only)',
        params: SessionIdParamsSchema,
        body: UpdateSessionRequestSchema,
        response: { 200: RevisionResponseSchema },
      },
      config: { limit: 'membership' },
    },
    async (request) => {
      const { visibility, membersMayInvite } = request.body
      const outcome = await run(sessionIdParam(request.params.id), request.user.sub, { type: 'configure', visibility, membersMayInvite })
      return { revision: outcome.revision }
    },
  )
}
