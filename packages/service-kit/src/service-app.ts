import Fastify, { type FastifyInstance } from 'fastify'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import { errorHandlerPlugin } from './errors.ts'
import { loggerOptions } from './logger.ts'

export interface ServiceAppOptions {
  service: string
  logLevel: string
  /** origins allowed by CORS (the web front end); none when empty */
  corsOrigins?: string[]
  bodyLimit?: number
}

/**
 * The Fastify instance every service starts from: pino logging with secrets redacted, security
 * headers, CORS limited to the web origin, the shared error shape, and a JSON body limit.
 * Schemas reject unknown fields instead of silently dropping them.
 */
export async function createServiceApp(opts: ServiceAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(opts.logLevel, opts.service),
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  })
  await app.register(errorHandlerPlugin)
  await app.register(helmet, { global: true })
  await app.register(cors, { origin: opts.corsOrigins?.length ? opts.corsOrigins : false, credentials: true })
  return app
}
