import { AppError, type TypedFastify } from '@tandem/service-kit'
import { LOBBY_PAGE, LobbyQuerySchema, LobbyResponseSchema, MySessionsResponseSchema, mayShareInvite } from '@tandem/contracts'
import type { LobbyProjection } from '../lobby/lobby-projection.ts'
import type { WatchingNow } from '../lobby/watching-now.ts'
import { decodeCursor, lobbyPage, toLobbySession } from '../lobby/lobby-page.ts'
import { routeDocs } from './session-commands.ts'

export interface LobbyRoutesOptions {
  lobby: LobbyProjection
  watching: WatchingNow
}

const { tags, security } = routeDocs

/**
 * The lobby (the open public sessions, most watched first) and the caller's own open sessions.
 * Added by `sessionRoutes`, inside its authentication and request budgets. `/v1/sessions/mine`
 * is a static route, which Fastify's router prefers to the parametric `/v1/sessions/:id`.
 */
export function lobbyRoutes(app: TypedFastify, opts: LobbyRoutesOptions): void {
  const { lobby, watching } = opts
  const watchingOf = (id: string) => watching.watching(id)

  app.get(
    '/v1/sessions',
    {
      schema: {
        tags,
        security,
        summary: 'the open public sessions (the lobby): most watched first, then newest; paged with nextCursor',
        querystring: LobbyQuerySchema,
        response: { 200: LobbyResponseSchema },
      },
      config: { limit: 'read' },
    },
    async (request) => {
      const { q, limit = LOBBY_PAGE.defaultLimit, cursor } = request.query
      const after = cursor === undefined ? undefined : decodeCursor(cursor)
      if (after === null) throw new AppError(400, 'invalid_cursor', 'cursor is not a nextCursor of this lobby')
      return lobbyPage(lobby.publicSessions(), watchingOf, { q, limit, after })
    },
  )

  app.get(
    '/v1/sessions/mine',
    {
      schema: { tags, security, summary: 'the open sessions you are a member of, private ones included, newest first', response: { 200: MySessionsResponseSchema } },
      config: { limit: 'read' },
    },
    async (request) => {
      const userId = request.user.sub
      const sessions = [...lobby.sessionsOf(userId)]
        .sort((a, b) => b.fields.createdAt - a.fields.createdAt || (a.id < b.id ? -1 : 1))
        .map((s) => ({ ...toLobbySession(s, watchingOf(s.id)), mayInvite: mayShareInvite(s.fields, userId) }))
      return { sessions }
    },
  )
}
