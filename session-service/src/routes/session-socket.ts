import '@fastify/websocket'
import { noContent, SessionSocketParamsSchema } from '@tandem/contracts'
import type { TypedFastify } from '@tandem/service-kit'
import { isSessionId } from '../stream/session-stream.ts'
import { SessionConnection, type ConnectionDeps } from '../ws/session-connection.ts'

export interface SessionSocketOptions {
  deps: ConnectionDeps
  /** The open connections, so that a drain (4503) or shutdown (1001) can close them. */
  connections: Set<SessionConnection>
}

const schema = {
  tags: ['sessions'],
  summary: 'the live session over a WebSocket',
  description:
    'Upgrades to a WebSocket. The first frame must be `hello{token}`; then the server sends `welcome` and events ' +
    '(ClientMessage and ServerMessage in @tandem/contracts, docs/protocol.md).',
  params: SessionSocketParamsSchema,
  response: { 101: noContent('Switching Protocols: the WebSocket is open'), 404: noContent('not an upgrade request') },
}

/**
 * `GET /v1/sessions/:id/ws`. The token travels in the first frame (`hello`), not in the upgrade
 * request, so browsers can connect without custom headers; see docs/protocol.md.
 */
export async function sessionSocketRoute(app: TypedFastify, opts: SessionSocketOptions): Promise<void> {
  app.route({
    method: 'GET',
    url: '/v1/sessions/:id/ws',
    schema,
    // a plain GET (no upgrade) finds nothing here; `websocket: true` would answer the same but
    // hide the route from the API document
    handler: (_request, reply) => reply.code(404).send(),
    wsHandler: (socket, request) => {
      const id = request.params.id.toLowerCase()
      // the upgrade request's logger: the socket's log lines carry its request id
      const connection = new SessionConnection(socket, isSessionId(id) ? id : null, { ...opts.deps, log: request.log })
      opts.connections.add(connection)
      socket.once('close', () => opts.connections.delete(connection))
    },
  })
}
