import t from 'tap'
import { metricSample } from '@tandem/service-kit/testing'
import { createWorld } from './fixtures/profile-app.ts'

const world = await createWorld()
t.teardown(() => world.close())

t.test('GET /metrics counts the requests just answered, by route pattern and status', async (t) => {
  const app = await world.startApp()
  const refused = await app.inject({ method: 'GET', url: '/v1/profiles/me', headers: { 'x-request-id': 'abc-123' } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['x-request-id'], 'abc-123', 'the request id is echoed')
  await app.inject({ method: 'GET', url: '/healthz' })

  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200, 'no token needed')
  const sample = (name: string, labels: Record<string, string> = {}) => metricSample(res.body, name, { service: 'profile-service', ...labels })
  t.equal(sample('http_requests_total', { route: '/v1/profiles/me', method: 'GET', status_code: '401' }), 1)
  t.equal(sample('http_requests_total', { route: '/healthz', method: 'GET', status_code: '200' }), 1)
  t.equal(sample('nats_disconnects_total'), 0, 'NATS disconnects are counted')
})
