import type { FastifyInstance } from 'fastify'
import '@fastify/websocket'
import { isSessionId } from '../stream/session-stream.ts'
import { SessionConnection, type ConnectionDeps } from '../ws/session-connection.ts'

export interface SessionSocketOptions {
  deps: ConnectionDeps
  /** The open connections, so that shutdown can close them with 1001. */
  connections: Set<SessionConnection>
}

/**
 * `GET /v1/sessions/:id/ws`. The token travels in the first frame (`hello`), not in the upgrade
 * request, so browsers can connect without custom headers; see docs/protocol.md.
 */
export async function sessionSocketRoute(app: FastifyInstance, opts: SessionSocketOptions): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/sessions/:id/ws', { websocket: true }, (socket, request) => {
    const id = request.params.id.toLowerCase()
    const connection = new SessionConnection(socket, isSessionId(id) ? id : null, opts.deps)
    opts.connections.add(connection)
    socket.once('close', () => opts.connections.delete(connection))
  })
}
