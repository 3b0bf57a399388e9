import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from '@tandem/contracts'
import { isDependencyUnavailable } from './dependency-errors.ts'

/** An error meant for the client: its status, stable code and message are sent as they are. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** Fastify's own error codes, mapped to Tandem's stable codes. */
const fastifyErrorCodes: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request', message: 'content-length does not match the body' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'the URL is not validly percent-encoded' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'a part of the URL is too long' },
}

/**
 * Sends every error as `{error:{code,message}}`. Validation failures become 400
 * `validation_failed` naming the field; a database or broker that cannot be reached becomes 503
 * `unavailable` (retry); other unexpected errors become a 500 that reveals nothing.
 */
export const errorHandlerPlugin = fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send(errorBody(err.code, err.message))
    }
    if (err.validation) {
      return reply.status(400).send(errorBody('validation_failed', validationMessage(err)))
    }
    const known = err.code ? fastifyErrorCodes[err.code] : undefined
    if (known) {
      return reply.status(known.status).send(errorBody(known.code, known.message ?? err.message))
    }
    if (err.statusCode === 429) {
      return reply.status(429).send(errorBody('rate_limited', err.message))
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody('bad_request', err.message))
    }
    if (isDependencyUnavailable(err)) {
      request.log.warn({ err }, 'a dependency is unavailable')
      return reply.status(503).header('retry-after', '1').send(errorBody('unavailable', 'the service cannot reach its store; retry shortly'))
    }
    request.log.error({ err }, 'unhandled error')
    return reply.status(500).send(errorBody('internal', 'internal error'))
  })
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`))
  })
}, { name: 'tandem-error-handler' })

/**
 * For Fastify's `frameworkErrors` option: the router raises these (a badly encoded URL, an
 * overlong path parameter) before any route or error handler runs, so they need their own way
 * into the shared shape.
 */
export function sendFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = fastifyErrorCodes[err.code]
  if (known) {
    void reply.status(known.status).send(errorBody(known.code, known.message ?? err.message))
    return
  }
  request.log.error({ err }, 'unhandled framework error')
  void reply.status(500).send(errorBody('internal', 'internal error'))
}

function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0]
  if (!first) return err.message
  const where = (first.instancePath || '').replace(/^\//, '').replaceAll('/', '.')
  const missing = (first.params as { missingProperty?: string }).missingProperty
  const extra = (first.params as { additionalProperty?: string }).additionalProperty
  if (missing) return `${where ? where + '.' : ''}${missing} is required`
  if (extra) return `unknown field ${where ? where + '.' : ''}${extra}`
  const context = err.validationContext ?? 'body'
  return `${where || context} ${first.message ?? 'is invalid'}`
}
