import { randomUUID } from 'node:crypto'
import { AppError, type TypedFastify } from '@tandem/service-kit'
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  LobbyResponseSchema,
  RevisionResponseSchema,
  SessionIdParamsSchema,
  SessionResponseSchema,
  type RejectCode,
} from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import type { CommandOutcome } from '../live/live-session.ts'
import type { LobbyProjection } from '../lobby/lobby-projection.ts'
import type { SessionCommand } from '../domain/commands.ts'
import { toView } from '../domain/state.ts'
import { isSessionId } from '../stream/session-stream.ts'

export interface SessionRoutesOptions {
  hub: SessionHub
  lobby: LobbyProjection
  now(): number
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
  invalid_command: 400,
  rate_limited: 429,
  unavailable: 503,
}

const tags = ['sessions']
const security = [{ bearer: [] }]

/** The REST side of sessions (docs/protocol.md, REST). Every route needs a valid access token. */
export async function sessionRoutes(app: TypedFastify, opts: SessionRoutesOptions): Promise<void> {
  const { hub, lobby, now } = opts
  app.addHook('onRequest', async (request) => app.authenticate(request))

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
    },
    async (request, reply) => {
      const id = randomUUID()
      const { title, videoUrl, controlMode = 'host' } = request.body
      const outcome = await run(id, request.user.sub, { type: 'create', title, videoUrl, controlMode })
      const created = outcome.events[0]?.event
      if (created?.type !== 'SessionCreated') throw new Error('create produced no SessionCreated event')
      reply.status(201)
      return { id, ...created.data, revision: outcome.revision }
    },
  )

  app.get(
    '/v1/sessions',
    { schema: { tags, security, summary: 'the open sessions (the lobby)', response: { 200: LobbyResponseSchema } } },
    async () => ({ sessions: lobby.list() }),
  )

  app.get(
    '/v1/sessions/:id',
    {
      schema: { tags, security, summary: 'the state of a session', params: SessionIdParamsSchema, response: { 200: SessionResponseSchema } },
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
    app.post(`/v1/sessions/:id/${action}`, { schema }, async (request) => {
      const outcome = await run(sessionId(request.params.id), request.user.sub, { type: action })
      return { revision: outcome.revision }
    })
  }
}
