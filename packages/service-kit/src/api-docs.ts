import fp from 'fastify-plugin'
import type { FastifyInstance, FastifySchema } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { ErrorBodySchema } from '@tandem/contracts'

export interface ApiDocsOptions {
  /** the service's name, the title of its document */
  service: string
}

/**
 * OpenAPI 3 built from the route schemas, at `/docs/json` (and `/docs/yaml`), and Swagger UI at
 * `/docs`. Public like `/healthz`: it describes the API and holds no data. Register it before the
 * routes, which it collects as they are added; the UI pages carry a CSP of their own that allows
 * its inline script and style by hash. Every route's error answers (4xx, 5xx) are documented with
 * the one error body all Tandem errors share; the routes themselves do not declare them, so an
 * error reply is never filtered through a response schema.
 */
export const apiDocsPlugin = fp(
  async function apiDocs(app: FastifyInstance, opts: ApiDocsOptions) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: opts.service, version: '1', description: `The HTTP API of Tandem's ${opts.service}.` },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA) from auth-service' } },
        },
      },
      transform: ({ schema, url }) => ({ url, schema: withErrorAnswers(schema) }),
    })
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  },
  { name: 'tandem-api-docs' },
)

function withErrorAnswers(schema: FastifySchema | undefined): FastifySchema {
  if (!schema || (schema as { hide?: boolean }).hide) return schema ?? {}
  const response = (schema.response ?? {}) as Record<string, unknown>
  return { ...schema, response: { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema, ...response } }
}
