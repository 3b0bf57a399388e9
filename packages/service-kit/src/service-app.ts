import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Ajv, type Options as AjvOptions } from 'ajv'
import addFormats from 'ajv-formats'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import { apiDocsPlugin } from './api-docs.ts'
import { AppError, errorHandlerPlugin, sendFrameworkError } from './errors.ts'
import { loggerOptions } from './logger.ts'
import { metricsPlugin } from './metrics/metrics-plugin.ts'
import { echoRequestId, requestIdOf } from './request-id.ts'

export interface ServiceAppOptions {
  service: string
  logLevel: string
  /** origins allowed by CORS (the web front end); none when empty */
  corsOrigins?: string[]
  bodyLimit?: number
  /**
   * Addresses or CIDR blocks of proxies whose `X-Forwarded-For` names the client (`request.ip`);
   * every other peer is the client itself, whatever header it sends. None when empty.
   */
  trustProxy?: string[]
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void }
}

/**
 * What route plugins take: a Fastify instance whose route schemas (TypeBox, from
 * @tandem/contracts) type the request and reply.
 */
export type TypedFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/**
 * The Fastify instance every service starts from: pino logging with secrets redacted, security
 * headers, CORS limited to the web origin, the shared error shape, a JSON body limit, and the
 * OpenAPI document of its routes (`/docs/json`, UI at `/docs`), Prometheus metrics at `/metrics`
 * (`app.metrics.registry` takes the service's own), and request ids: the caller's `x-request-id`
 * (or a fresh uuid) is the request's id, echoed in the answer and on each of its log lines (`reqId`).
 * Schemas reject unknown fields instead of silently dropping them, and a JSON body must carry
 * the declared types (`42` is not a string); only path and query strings are coerced.
 */
export async function createServiceApp(opts: ServiceAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel, opts.service, opts.logStream),
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    frameworkErrors: sendFrameworkError,
    trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
    genReqId: requestIdOf,
  })
  echoRequestId(app)
  await app.register(metricsPlugin, { service: opts.service })
  acceptOnlyUtf8Json(app)
  const bodyValidator = validator({ coerceTypes: false })
  const urlValidator = validator({ coerceTypes: 'array' })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyValidator : urlValidator).compile(schema))
  await app.register(errorHandlerPlugin)
  await app.register(helmet, { global: true })
  await app.register(cors, { origin: opts.corsOrigins?.length ? opts.corsOrigins : false, credentials: true })
  await app.register(apiDocsPlugin, { service: opts.service })
  return app
}

/**
 * JSON bodies must be UTF-8 (RFC 8259). Fastify's own parser decodes invalid bytes to U+FFFD,
 * so a name sent with broken bytes would be stored changed instead of refused.
 */
function acceptOnlyUtf8Json(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string
    try {
      text = utf8.decode(body as Buffer)
    } catch {
      return done(new AppError(400, 'invalid_encoding', 'request body is not valid UTF-8'), undefined)
    }
    parseJson(request, text, done)
  })
}

function validator(options: AjvOptions): Ajv {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: true, allErrors: false, ...options })
  addFormats.default(ajv)
  return ajv
}
