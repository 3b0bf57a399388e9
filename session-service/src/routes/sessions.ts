import { randomUUID } from 'node:crypto'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  RevisionResponseSchema,
  SessionIdParamsSchema,
  SessionResponseSchema,
  type RejectCode,
} from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import type { CommandOutcome } from '../live/live-session.ts'
import type { LobbyProjection } from '../lobby/lobby-projection.ts'
import type { WatchingNow } from '../lobby/watching-now.ts'
import type { SessionCommand } from '../domain/commands.ts'
import { toView } from '../domain/state.ts'
import { isSessionId } from '../stream/session-stream.ts'
import type { RequestLimits } from '../config.ts'
import { authenticateAndLimit } from '../plugins/request-limits.ts'
import { lobbyRoutes } from './lobby.ts'
import { KeyCounts } from '../key-counts.ts'

export interface SessionRoutesOptions {
  hub: SessionHub
  lobby: LobbyProjection
  watching: WatchingNow
  now(): number
  limits: RequestLimits
  /** Sessions one user may hold open as host; starting another is refused with 409 `too_many_open_sessions`. */
  maxOpenSessionsPerHost: number
}

const HTTP_STATUS: Record<RejectCode, number> = {
  not_member: 403,
  not_host: 403,
  session_not_found: 404,
  session_exists: 409,
  session_ended: 409,
  conflict: 409,
  invalid_position: 400,
  invalid_rate: 400,
  invalid_chat: 400,
  invalid_title: 400,
  invalid_video_url: 400,
  invalid_control_mode: 400,
  invalid_visibility: 400,
  invalid_target: 400,
  // to a stranger, a private session and a bad invite look like no session at all
  invite_invalid: 404,
  invalid_command: 400,
  rate_limited: 429,
  unavailable: 503,
}

const tags = ['sessions']
const security = [{ bearer: [] }]

/**
 * The REST side of sessions (docs/protocol.md, REST). Every route needs a valid access token and
 * counts against a per-user budget (`request-limits.ts`).
 */
export async function sessionRoutes(app: TypedFastify, opts: SessionRoutesOptions): Promise<void> {
  const { hub, lobby, now } = opts
  await authenticateAndLimit(app, opts.limits)
  lobbyRoutes(app, { lobby, watching: opts.watching })
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

  async function run(sessionId: string, userId: string, command: SessionCommand): Promise<Extract<CommandOutcome, { kind: 'ack' }>> {
    const outcome = await hub.withRoom(sessionId, (room) => room.live.execute({ id: randomUUID(), userId, at: now(), command }))
    if (outcome.kind === 'reject') throw new AppError(HTTP_STATUS[outcome.code], outcome.code, outcome.message)
    return outcome
  }

  function sessionId(id: string): string {
    const normalised = id.toLowerCase()
    if (!isSessionId(normalised)) throw new AppError(404, 'session_not_found', 'no such session')
    return normalised
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
      const inviteId = randomUUID()
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
      const id = sessionId(request.params.id)
      return hub.withRoom(id, async (room) => {
        await room.live.catchUp()
        const state = room.live.state
        if (state.status === 'none') throw new AppError(404, 'session_not_found', 'no such session')
        return { ...toView(id, state), revision: state.revision }
      })
    },
  )

  const actions = { join: 'become a member', leave: 'stop being a member', end: 'end the session (host only)' } as const
  for (const action of ['join', 'leave', 'end'] as const) {
    const schema = { tags, security, summary: actions[action], params: SessionIdParamsSchema, response: { 200: RevisionResponseSchema } }
    app.post(`/v1/sessions/:id/${action}`, { schema, config: { limit: 'membership' } }, async (request) => {
      const outcome = await run(sessionId(request.params.id), request.user.sub, { type: action })
      return { revision: outcome.revision }
    })
  }
}
