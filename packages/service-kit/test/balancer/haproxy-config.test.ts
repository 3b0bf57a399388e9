import t, { type Test } from 'tap'
import { createServer, type Server } from 'node:http'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { haproxyConfig } from '@tandem/service-kit/balancer'
import { freePort, haproxyBinary, startBalancer, waitFor } from '@tandem/service-kit/testing'

const run = promisify(execFile)

async function replica(t: Test, name: string): Promise<{ address: string; setReady(ready: boolean): void }> {
  let ready = true
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      res.statusCode = ready ? 200 : 503
      return res.end()
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ replica: name, requestId: req.headers['x-request-id'] ?? null }))
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { address: `127.0.0.1:${port}`, setReady: (r) => (ready = r) }
}

t.test('both generated configurations pass haproxy -c', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-haproxy-check-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const configs = {
    servers: haproxyConfig({ bind: '127.0.0.1:4003', backends: { servers: ['127.0.0.1:4103', '127.0.0.1:4113'] } }),
    dns: haproxyConfig({ bind: '0.0.0.0:4003', backends: { dns: { name: 'session-service', port: 4003, maxReplicas: 8, resolver: '127.0.0.11:53' } } }),
  }
  for (const [kind, text] of Object.entries(configs)) {
    const file = join(dir, `${kind}.cfg`)
    writeFileSync(file, text)
    const { stdout } = await run(haproxyBinary, ['-c', '-f', file])
    t.match(stdout, /valid/, `${kind}: valid`)
  }
  t.match(configs.dns, /server-template session 1-8 session-service:4003 resolvers tandem/, 'DNS mode finds replicas by name')
  t.match(configs.servers, /server session-2 127\.0\.0\.1:4113/, 'fixed mode lists each replica')
})

t.test('the balancer spreads requests, stamps a request id, hides /metrics and drops a replica that is not ready', async (t) => {
  const a = await replica(t, 'a')
  const b = await replica(t, 'b')
  const balancer = await startBalancer([a.address, b.address])
  t.teardown(() => balancer.stop())
  await waitFor(async () => {
    const states = await balancer.serverStates()
    return states['session-1'] === 'UP' && states['session-2'] === 'UP'
  }, 10_000, 'both replicas up')

  const seen = new Set<string>()
  for (let i = 0; i < 6; i++) {
    const body = (await (await fetch(`${balancer.url}/v1/x`)).json()) as { replica: string; requestId: string | null }
    seen.add(body.replica)
    t.match(body.requestId, /^[0-9a-f-]{36}$/, 'a request without an id gets one')
  }
  t.same([...seen].sort(), ['a', 'b'], 'requests reach both replicas')
  const kept = (await (await fetch(`${balancer.url}/v1/x`, { headers: { 'x-request-id': 'from-web-1' } })).json()) as { requestId: string }
  t.equal(kept.requestId, 'from-web-1', 'an id the client sent is kept')
  t.equal((await fetch(`${balancer.url}/metrics`)).status, 404, '/metrics is not served on the public address')

  b.setReady(false)
  await waitFor(async () => (await balancer.serverStates())['session-2']?.startsWith('DOWN'), 5000, 'b out of the pool')
  for (let i = 0; i < 4; i++) {
    const body = (await (await fetch(`${balancer.url}/v1/x`)).json()) as { replica: string }
    t.equal(body.replica, 'a', 'a replica that fails /readyz gets no new requests')
  }
})
