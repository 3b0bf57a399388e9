import type { TypedFastify } from '@tandem/service-kit'
import { LobbyResponseSchema } from '@tandem/contracts'
import type { LobbyProjection } from '../lobby/lobby-projection.ts'

export interface LobbyRoutesOptions {
  lobby: LobbyProjection
}

/**
 * The lobby: the public sessions anyone signed in may join. Added by `sessionRoutes`, inside
 * its authentication and request budgets.
 */
export function lobbyRoutes(app: TypedFastify, opts: LobbyRoutesOptions): void {
  const { lobby } = opts
  app.get(
    '/v1/sessions',
    {
      schema: { tags: ['sessions'], security: [{ bearer: [] }], summary: 'the open public sessions (the lobby)', response: { 200: LobbyResponseSchema } },
      config: { limit: 'read' },
    },
    async () => ({ sessions: lobby.list(), nextCursor: null }),
  )
}
