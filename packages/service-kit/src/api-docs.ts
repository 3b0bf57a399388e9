import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export interface ApiDocsOptions {
  /** the service's name, the title of its document */
  service: string
}

/**
 * OpenAPI 3 built from the route schemas, at `/docs/json` (and `/docs/yaml`), and Swagger UI at
 * `/docs`. Public like `/healthz`: it describes the API and holds no data. Register it before the
 * routes, which it collects as they are added; the UI pages carry a CSP of their own that allows
 * its inline script and style by hash.
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
    })
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  },
  { name: 'tandem-api-docs' },
)
