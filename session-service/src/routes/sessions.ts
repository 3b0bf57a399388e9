import { randomUUID } from 'node:crypto'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  JoinSessionRequestSchema,
  RevisionResponseSchema,
  SessionIdParamsSchema,
  SessionResponseSchema,
} from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import type { LobbyProjection } from '../lobby/lobby-projection.ts'
import type { WatchingNow } from '../lobby/watching-now.ts'
import { toView } from '../domain/state.ts'
import type { RequestLimits } from '../config.ts'
import { authenticateAndLimit } from '../plugins/request-limits.ts'
import { newInviteId, type InviteLinks } from '../invites/invite-links.ts'
import { lobbyRoutes } from './lobby.ts'
import { inviteRoutes } from './invites.ts'
import { sessionSettingsRoutes } from './session-settings.ts'
import { commandRunner, noBodyIsEmpty, routeDocs, sessionIdParam, visibleSession } from './session-commands.ts'
import { KeyCounts } from '../key-counts.ts'

export interface SessionRoutesOptions {
  hub: SessionHub
  lobby: LobbyProjection
  watching: WatchingNow
  now(): number
  limits: RequestLimits
  /** Sessions one user may hold open as host; starting another is refused with 409 `too_many_open_sessions`. */
  maxOpenSessionsPerHost: number
  invites: InviteLinks
}

const { tags, security } = routeDocs

/**
 * The REST side of sessions (docs/protocol.md, REST). Every route needs a valid access token and
 * counts against a per-user budget (`request-limits.ts`).
 */
export async function sessionRoutes(app: TypedFastify, opts: SessionRoutesOptions): Promise<void> {
  const { hub, lobby, now, invites } = opts
  await authenticateAndLimit(app, opts.limits)
  lobbyRoutes(app, { lobby, watching: opts.watching })
  inviteRoutes(app, { hub, now, invites })
  sessionSettingsRoutes(app, { hub, now })
  const run = commandRunner(hub, now)
  /** Starts under way per host, counted with the open sessions until the lobby has them. */
  const starting = new KeyCounts()

  /**
   * Counted from the lobby projection, which every replica builds from the store: a session
   * started on another replica counts once the feed brings it (the create budget bounds what a
   * user can start meanwhile), and ending one frees its slot.
   */
  function reserveHostSlot(hostId: string): () => void {
    const held = lobby.openSessionsHostedBy(hostId) + starting.get(hostId)
    if (held >= opts.maxOpenSessionsPerHost) {
      throw new AppError(409, 'too_many_open_sessions', `you host ${held} open sessions, the most allowed; end one first`)
    }
    starting.add(hostId, 1)
    return () => starting.add(hostId, -1)
  }

  app.post(
    '/v1/sessions',
    {
      schema: {
        tags,
        security,
        summary: 'start a session; you are its host',
        body: CreateSessionRequestSchema,
        response: { 201: CreateSessionResponseSchema },
      },
      config: { limit: 'create' },
    },
    async (request, reply) => {
      const id = randomUUID()
      const { title, videoUrl, controlMode = 'host', visibility = 'private' } = request.body
      const release = reserveHostSlot(request.user.sub)
      const inviteId = newInviteId()
      const outcome = await run(id, request.user.sub, { type: 'create', title, videoUrl, controlMode, visibility, inviteId }).finally(release)
      const created = outcome.events[0]?.event
      if (created?.type !== 'SessionCreated') throw new Error('create produced no SessionCreated event')
      reply.status(201)
      return { id, ...created.data, revision: outcome.revision }
    },
  )

  app.get(
    '/v1/sessions/:id',
    {
      schema: { tags, security, summary: 'the state of a session', params: SessionIdParamsSchema, response: { 200: SessionResponseSchema } },
      config: { limit: 'read' },
    },
    async (request) => {
      const id = sessionIdParam(request.params.id)
      const state = await visibleSession(hub, id, request.user.sub)
      return { ...toView(id, state), revision: state.revision }
    },
  )

  app.post(
    '/v1/sessions/:id/join',
    {
      schema: {
        tags,
        security,
        summary: 'become a member; a private session needs its invite token (members and the host need none)',
        params: SessionIdParamsSchema,
        body: JoinSessionRequestSchema,
        response: { 200: RevisionResponseSchema },
      },
      config: { limit: 'membership' },
      preValidation: noBodyIsEmpty,
    },
    async (request) => {
      const id = sessionIdParam(request.params.id)
      const token = request.body.invite
      // A token whose MAC is wrong is still passed on (as null), so the decider refuses it as a bad invite.
      const invite = token === undefined ? undefined : invites.verify(id, token)
      const outcome = await run(id, request.user.sub, { type: 'join', ...(invite === undefined ? {} : { invite }) })
      return { revision: outcome.revision }
    },
  )

  const actions = { leave: 'stop being a member', end: 'end the session (host only)' } as const
  for (const action of ['leave', 'end'] as const) {
    const schema = { tags, security, summary: actions[action], params: SessionIdParamsSchema, response: { 200: RevisionResponseSchema } }
    app.post(`/v1/sessions/:id/${action}`, { schema, config: { limit: 'membership' } }, async (request) => {
      const outcome = await run(sessionIdParam(request.params.id), request.user.sub, { type: action })
      return { revision: outcome.revision }
    })
  }
}
