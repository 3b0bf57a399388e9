import { randomUUID } from 'node:crypto'
import type { preValidationHookHandler } from 'fastify'
import { AppError } from '@tandem/service-kit'
import { maySee, type RejectCode } from '@tandem/contracts'
import type { SessionHub } from '../live/session-hub.ts'
import type { CommandOutcome } from '../live/live-session.ts'
import type { SessionCommand } from '../domain/commands.ts'
import type { ExistingSessionState } from '../domain/state.ts'
import { isSessionId } from '../stream/session-stream.ts'

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
  invalid_subtitles_url: 400,
  invalid_local_file: 400,
  invalid_item: 400,
  item_not_found: 404,
  invalid_index: 400,
  queue_full: 409,
  invalid_reaction: 400,
  invalid_control_mode: 400,
  invalid_visibility: 400,
  invalid_target: 400,
  // to a stranger, a private session and a bad invite look like no session at all
  invite_invalid: 404,
  invalid_command: 400,
  rate_limited: 429,
  unavailable: 503,
}

/** How every session route is listed in the OpenAPI document: one tag, a bearer token. */
export const routeDocs = { tags: ['sessions'], security: [{ bearer: [] }] }

/** What an unknown session and a private session of others both answer, to the byte. */
export const sessionNotFound = () => new AppError(404, 'session_not_found', 'no such session')

/** The session id of a route, lower-cased; 404 when it cannot name a session. */
export function sessionIdParam(id: string): string {
  const normalised = id.toLowerCase()
  if (!isSessionId(normalised)) throw sessionNotFound()
  return normalised
}

export type AcceptedOutcome = Extract<CommandOutcome, { kind: 'ack' }>

/** Decides and appends `command` as `userId`; a refusal becomes the AppError of its code. */
export function commandRunner(hub: SessionHub, now: () => number) {
  return async function run(sessionId: string, userId: string, command: SessionCommand): Promise<AcceptedOutcome> {
    const outcome = await hub.withRoom(sessionId, (room) => room.live.execute({ id: randomUUID(), userId, at: now(), command }))
    if (outcome.kind === 'reject') throw new AppError(HTTP_STATUS[outcome.code], outcome.code, outcome.message)
    return outcome
  }
}

/**
 * The current state of a session `userId` may see (`maySee`); 404 `session_not_found` for an
 * unknown session and, identically, for a private one they are not a member of.
 */
export function visibleSession(hub: SessionHub, sessionId: string, userId: string): Promise<ExistingSessionState> {
  return hub.withRoom(sessionId, async (room) => {
    await room.live.catchUp()
    const state = room.live.state
    if (state.status === 'none' || !maySee(state, userId)) throw sessionNotFound()
    return state
  })
}

/** For routes whose body is optional: no body at all is read as `{}`. */
export const noBodyIsEmpty: preValidationHookHandler = async (request) => {
  request.body ??= {}
}
