import t from 'tap'
import { requestIdHeaders, requestIdOf, requestLogLine } from '../../src/lib/server/request-id.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const request = (headers: Record<string, string> = {}) => new Request('http://web.test/lobby', { headers })

t.test("a request's id is the one it brought, when plain and short, else a fresh uuid", async (t) => {
  t.equal(requestIdOf(request({ 'x-request-id': 'abc-123' })), 'abc-123')
  t.match(requestIdOf(request()), UUID)
  t.match(requestIdOf(request({ 'x-request-id': 'x'.repeat(200) })), UUID)
  t.match(requestIdOf(request({ 'x-request-id': 'a"b' })), UUID)
  t.not(requestIdOf(request()), requestIdOf(request()), 'each its own')
})

t.test('calls made for a request carry its id; others carry none', async (t) => {
  t.same(requestIdHeaders('abc-123'), { 'x-request-id': 'abc-123' })
  t.same(requestIdHeaders(undefined), {})
})

t.test('the log line of a request names its id, method, path and status', async (t) => {
  const line = JSON.parse(requestLogLine({ requestId: 'abc-123', method: 'POST', path: '/login', status: 303, ms: 12.345 }))
  t.match(line, { level: 30, service: 'web', reqId: 'abc-123', req: { method: 'POST', url: '/login' }, res: { statusCode: 303 }, responseTime: 12.3 })
  t.equal(JSON.parse(requestLogLine({ requestId: 'x', method: 'GET', path: '/', status: 502, ms: 1 })).level, 50, 'a server error at error level')
})
