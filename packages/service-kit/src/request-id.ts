import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { acceptedRequestId, REQUEST_ID_HEADER } from '@tandem/contracts'

/**
 * Fastify's `genReqId`: the caller's `x-request-id` when it is a plain, short id (web and the
 * balancer send one), else a fresh uuid. Fastify's own `requestIdHeader` would take any value,
 * however long or strange, into every log line.
 */
export function requestIdOf(request: IncomingMessage): string {
  return acceptedRequestId(request.headers[REQUEST_ID_HEADER]) ?? randomUUID()
}

/** Every answer names the request id, so a caller can find the request's log lines. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    done()
  })
}
