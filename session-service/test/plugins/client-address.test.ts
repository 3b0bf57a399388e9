import t from 'tap'
import { request } from 'node:http'
import { startBalancer } from '@tandem/service-kit/testing'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'

// Behind HAProxy every request reaches a replica from the balancer's address. The per-address
// budget (requests with a refused token) must count each client, so a replica believes
// X-Forwarded-For from the balancer (TRUSTED_PROXIES) and from no one else. Clients here come
// from distinct loopback addresses (127.0.0.2, 127.0.0.3), the balancer from 127.0.0.1.

const world = await createWorld(t)
const limits = { RATE_LIMIT_UNAUTHENTICATED: '3' }

/** GET with a refused token from `from`; the status (401 while under budget, then 429). */
function refusedRead(baseUrl: string, from: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/v1/sessions`, { localAddress: from, headers: { authorization: 'Bearer not-a-token', ...headers } }, (res) => {
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
    })
    req.once('error', reject)
    req.end()
  })
}
const statuses = async (baseUrl: string, from: string, n: number, headers?: Record<string, string>) => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(await refusedRead(baseUrl, from, headers))
  return out
}

t.test('trusting the balancer: each client behind it has a budget of its own; no one else can name a client', async (t) => {
  const replica = await startSessionApp(t, world, { env: { ...limits, TRUSTED_PROXIES: '127.0.0.1' } })
  const balancer = await startBalancer([new URL(replica.baseUrl).host])
  t.teardown(() => balancer.stop())

  t.same(await statuses(balancer.url, '127.0.0.2', 4), [401, 401, 401, 429], 'one client spends its budget through the balancer')
  t.same(await statuses(balancer.url, '127.0.0.3', 1), [401], 'another client behind the same balancer still has its own')
  t.same(
    await statuses(balancer.url, '127.0.0.2', 1, { 'x-forwarded-for': '192.0.2.77' }),
    [429],
    'a client naming another address through the balancer is still counted as itself',
  )
  t.same(
    await statuses(replica.baseUrl, '127.0.0.3', 3, { 'x-forwarded-for': '192.0.2.99' }),
    [401, 401, 429],
    'a client reaching the replica directly cannot name another address: it spends its own budget',
  )
})

t.test('trusting no proxy: every client behind the balancer shares the balancer’s budget', async (t) => {
  const replica = await startSessionApp(t, world, { env: limits })
  const balancer = await startBalancer([new URL(replica.baseUrl).host])
  t.teardown(() => balancer.stop())

  t.same(await statuses(balancer.url, '127.0.0.2', 3), [401, 401, 401])
  t.same(await statuses(balancer.url, '127.0.0.3', 1), [429], 'a second client is refused for the first one’s requests')
})
