import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { AppError } from '@tandem/service-kit'
import {
  CONTROL_MODES,
  SESSION_LIMITS,
  type ControlMode,
  type CreateSessionResponse,
  type LobbyResponse,
  type RejectCode,
  type RevisionResponse,
  type SessionResponse,
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

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'videoUrl'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: SESSION_LIMITS.titleMaxChars * 2 },
    videoUrl: { type: 'string', minLength: 1, maxLength: SESSION_LIMITS.videoUrlMaxChars },
    controlMode: { type: 'string', enum: CONTROL_MODES },
  },
} as const

/** The REST side of sessions (docs/protocol.md, REST). Every route needs a valid access token. */
export async function sessionRoutes(app: FastifyInstance, opts: SessionRoutesOptions): Promise<void> {
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

  app.post<{ Body: { title: string; videoUrl: string; controlMode?: ControlMode } }>(
    '/v1/sessions',
    { schema: { body: createBody } },
    async (request, reply): Promise<CreateSessionResponse> => {
      const id = randomUUID()
      const { title, videoUrl, controlMode = 'host' } = request.body
      const outcome = await run(id, request.user.sub, { type: 'create', title, videoUrl, controlMode })
      const created = outcome.events[0]?.event
      if (created?.type !== 'SessionCreated') throw new Error('create produced no SessionCreated event')
      reply.status(201)
      return { id, ...created.data, revision: outcome.revision }
    },
  )

  app.get('/v1/sessions', async (): Promise<LobbyResponse> => ({ sessions: lobby.list() }))

  app.get<{ Params: { id: string } }>('/v1/sessions/:id', { schema: { params: idParams } }, async (request): Promise<SessionResponse> => {
    const id = sessionId(request.params.id)
    return hub.withRoom(id, async (room) => {
      await room.live.catchUp()
      const state = room.live.state
      if (state.status === 'none') throw new AppError(404, 'session_not_found', 'no such session')
      return { ...toView(id, state), revision: state.revision }
    })
  })

  for (const action of ['join', 'leave', 'end'] as const) {
    app.post<{ Params: { id: string } }>(`/v1/sessions/:id/${action}`, { schema: { params: idParams } }, async (request): Promise<RevisionResponse> => {
      const outcome = await run(sessionId(request.params.id), request.user.sub, { type: action })
      return { revision: outcome.revision }
    })
  }
}
