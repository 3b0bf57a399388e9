import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'

export interface AppMetrics {
  /** This app's own registry: a service registers its metrics here; `GET /metrics` reads it. */
  registry: Registry
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics
  }
}

export interface MetricsOptions {
  /** the `service` label on every metric of the registry */
  service: string
}

/** The `route` label of a request that matched no route (a 404): never its raw URL. */
export const UNMATCHED_ROUTE = 'unmatched'

const HTTP_LABELS = ['route', 'method', 'status_code'] as const

/**
 * Prometheus metrics of one app: a registry of its own (tests build several apps in one process,
 * so the global default registry is never used), Node's process metrics, HTTP requests counted
 * and timed by route pattern, method and status, and `GET /metrics` in the Prometheus text
 * format. `/metrics` is registered on the root, outside every scope with authentication or rate
 * limits; the balancer keeps it off the public address.
 */
export const metricsPlugin = fp(
  async function metrics(app: FastifyInstance, opts: MetricsOptions) {
    const registry = new Registry()
    registry.setDefaultLabels({ service: opts.service })
    collectDefaultMetrics({ register: registry })
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status code',
      labelNames: HTTP_LABELS,
      registers: [registry],
    })
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'time from receiving an HTTP request to sending its answer, by route pattern, method and status code',
      labelNames: HTTP_LABELS,
      registers: [registry],
    })
    app.decorate('metrics', { registry })

    app.addHook('onResponse', (request, reply, done) => {
      // the pattern (`/v1/sessions/:id`), so that the number of series stays bounded
      const labels = { route: request.routeOptions.url ?? UNMATCHED_ROUTE, method: request.method, status_code: reply.statusCode }
      requests.inc(labels)
      duration.observe(labels, reply.elapsedTime / 1000)
      done()
    })

    app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
      const text = await registry.metrics()
      return reply.type(registry.contentType).send(text)
    })
  },
  { name: 'tandem-metrics' },
)
