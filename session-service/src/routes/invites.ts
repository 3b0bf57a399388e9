import { AppError, type TypedFastify } from '@tandem/service-kit'
import { InviteResponseSchema, mayShareInvite, ResetInviteRequestSchema, SessionIdParamsSchema, type InviteResponse } from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import type { CurrentInvite } from '../domain/state.ts'
import { newInviteId, type InviteLinks } from '../invites/invite-links.ts'
import { commandRunner, noBodyIsEmpty, routeDocs, sessionIdParam, visibleSession } from './session-commands.ts'

export interface InviteRoutesOptions {
  hub: SessionHub
  now(): number
  invites: InviteLinks
}

const { tags, security } = routeDocs

/**
 * `GET /v1/sessions/:id/invite` (the current link, for whoever may share it) and
 * `POST /v1/sessions/:id/invite` (the host revokes it and issues another). The token is made
 * from the invite id in the session's state each time; it is never stored or logged.
 */
export function inviteRoutes(app: TypedFastify, opts: InviteRoutesOptions): void {
  const { hub, now, invites } = opts
  const run = commandRunner(hub, now)

  const answer = (sessionId: string, invite: CurrentInvite): InviteResponse => {
    const token = invites.token(sessionId, invite.id)
    return { token, path: invites.path(sessionId, token), expiresAt: invite.expiresAt }
  }

  app.get(
    '/v1/sessions/:id/invite',
    {
      schema: {
        tags,
        security,
        summary: 'the invite link, for the host, co-hosts, and members when the host allows',
        description: 'An expired link is answered too (expiresAt in the past): the host resets it with POST.',
        params: SessionIdParamsSchema,
        response: { 200: InviteResponseSchema },
      },
      config: { limit: 'read' },
    },
    async (request) => {
      const id = sessionIdParam(request.params.id)
      const userId = request.user.sub
      const state = await visibleSession(hub, id, userId)
      if (!mayShareInvite(state, userId)) throw refusal(state, userId)
      if (state.invite === null) throw new AppError(409, 'no_invite', 'this session has no invite link yet; the host can issue one')
      return answer(id, state.invite)
    },
  )

  app.post(
    '/v1/sessions/:id/invite',
    {
      schema: {
        tags,
        security,
        summary: 'revoke the invite link and issue a new one (host only)',
        params: SessionIdParamsSchema,
        body: ResetInviteRequestSchema,
        response: { 200: InviteResponseSchema },
      },
      config: { limit: 'membership' },
      preValidation: noBodyIsEmpty,
    },
    async (request) => {
      const id = sessionIdParam(request.params.id)
      const { expiresInMinutes } = request.body
      const invite = { id: newInviteId(), expiresAt: expiresInMinutes === undefined ? null : now() + expiresInMinutes * 60_000 }
      await run(id, request.user.sub, { type: 'resetInvite', inviteId: invite.id, expiresAt: invite.expiresAt })
      return answer(id, invite)
    },
  )
}

/** Why someone who sees the session may not share its link. */
function refusal(state: Parameters<typeof mayShareInvite>[0], userId: string): AppError {
  if (state.status !== 'open') return new AppError(409, 'session_ended', 'the session has ended')
  if (!state.members.includes(userId)) return new AppError(403, 'not_member', 'join the session first')
  return new AppError(403, 'not_host', 'only the host and co-hosts share the invite link of this session')
}
