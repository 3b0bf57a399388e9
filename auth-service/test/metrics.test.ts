import t from 'tap'
import { metricSample } from '@tandem/service-kit/testing'
import { register, startAuthApp } from './fixtures/auth-app.ts'

t.test('GET /metrics counts the requests just answered, by route pattern and status', async (t) => {
  const { app } = await startAuthApp(t)
  await register(app)
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-request-id': 'abc-123' } })
  t.equal(me.statusCode, 401)
  t.equal(me.headers['x-request-id'], 'abc-123', 'the request id is echoed')

  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  const sample = (name: string, labels: Record<string, string> = {}) => metricSample(res.body, name, { service: 'auth-service', ...labels })
  t.equal(sample('http_requests_total', { route: '/v1/register', method: 'POST', status_code: '201' }), 1)
  t.equal(sample('http_requests_total', { route: '/v1/me', method: 'GET', status_code: '401' }), 1)
  t.equal(sample('nats_reconnects_total'), 0, 'NATS reconnects are counted')
})
