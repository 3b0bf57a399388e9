import t from 'tap'
import { createServiceApp, UNMATCHED_ROUTE } from '../../src/index.ts'
import { metricSample } from '../../src/testing/index.ts'

async function appWithRoutes(service: string) {
  const app = await createServiceApp({ service, logLevel: 'silent' })
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }))
  // a scope that refuses everything, as the services' authenticated and rate-limited scopes do
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => reply.code(401).send({ error: { code: 'unauthenticated', message: 'no' } }))
    scope.get('/private', async () => ({ ok: true }))
  })
  await app.ready()
  return app
}

async function scrape(app: Awaited<ReturnType<typeof appWithRoutes>>) {
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  return { status: res.statusCode, type: res.headers['content-type'], text: res.body }
}

t.test('GET /metrics counts requests by route pattern, method and status, never by raw URL', async (t) => {
  const app = await appWithRoutes('test-service')
  t.teardown(() => app.close())
  await app.inject({ method: 'GET', url: '/things/42' })
  await app.inject({ method: 'GET', url: '/things/43' })
  await app.inject({ method: 'GET', url: '/no/such/place' })
  await app.inject({ method: 'GET', url: '/private' })

  const { status, type, text } = await scrape(app)
  t.equal(status, 200)
  t.match(type, /^text\/plain; version=0\.0\.4/, 'the Prometheus text format')
  const things = { route: '/things/:id', method: 'GET', status_code: '200', service: 'test-service' }
  t.equal(metricSample(text, 'http_requests_total', things), 2, 'both ids under the one pattern')
  t.equal(metricSample(text, 'http_request_duration_seconds_count', things), 2, 'and timed')
  t.equal(metricSample(text, 'http_requests_total', { route: UNMATCHED_ROUTE, status_code: '404' }), 1, 'a 404 is `unmatched`')
  t.equal(metricSample(text, 'http_requests_total', { route: '/private', status_code: '401' }), 1, 'refused requests count too')
  t.notMatch(text, /\/things\/42|\/no\/such\/place/, 'no raw URL becomes a label')
  t.ok(metricSample(text, 'process_cpu_user_seconds_total', { service: 'test-service' }) !== undefined, 'process metrics, labelled with the service')
  t.ok(metricSample(text, 'nodejs_heap_size_used_bytes') !== undefined, 'Node heap metrics')
})

t.test('each app has its own registry, and /metrics is outside authentication', async (t) => {
  const one = await appWithRoutes('one')
  const two = await appWithRoutes('two')
  t.teardown(() => Promise.all([one.close(), two.close()]))
  await one.inject({ method: 'GET', url: '/things/1' })
  const { status, text } = await scrape(two)
  t.equal(status, 200, 'no token needed (the balancer keeps /metrics off the public address)')
  t.equal(metricSample(text, 'http_requests_total', { route: '/things/:id' }), undefined, "the other app's requests are not here")
  t.not(one.metrics.registry, two.metrics.registry)
  t.equal(metricSample(await scrape(one).then((s) => s.text), 'http_requests_total', { route: '/things/:id', service: 'one' }), 1)
})

t.test('/metrics is not in the API document', async (t) => {
  const app = await appWithRoutes('docs')
  t.teardown(() => app.close())
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> }
  t.notOk('/metrics' in doc.paths)
})
