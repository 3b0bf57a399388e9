import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SessionSocket as TestSocket, startBalancer, waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)

t.test('through HAProxy, sockets and requests a draining replica refuses are served by another one', async (t) => {
  // no socket closes while the test runs
  const env = { DRAIN_DELAY_MS: '60000' }
  const drainingLog: Array<{ msg?: string; res?: { statusCode?: number } }> = []
  const draining = await startSessionApp(t, world, {
    replicaId: 'replica-draining',
    env: { ...env, LOG_LEVEL: 'info' },
    deps: { logStream: { write: (line) => void drainingLog.push(JSON.parse(line)) } },
  })
  const staying = await startSessionApp(t, world, { replicaId: 'replica-staying', env })
  for (const replica of [draining, staying]) {
    await waitFor(async () => (await api(replica.baseUrl, 'GET', '/readyz', null)).status === 200, 20_000, 'the replica to be ready')
  }
  const address = (baseUrl: string) => baseUrl.replace(/^http:\/\//, '')
  // checks far apart, so the balancer keeps sending work to the draining replica while the test runs
  const balancer = await startBalancer([address(draining.baseUrl), address(staying.baseUrl)], { checkIntervalMs: 30_000 })
  t.teardown(() => balancer.stop())
  // with checks this far apart, a server's first one may be some seconds away ('UP 1/2' until then): it takes traffic
  await waitFor(async () => Object.values(await balancer.serverStates()).every((s) => s.startsWith('UP')), 10_000, 'both replicas up')
  const { id } = await createSession(balancer.url, token(randomUUID()))

  void draining.app.drain()
  const wsUrl = `${balancer.url.replace(/^http/, 'ws')}/v1/sessions/${id}/ws`
  const sockets = await Promise.all(Array.from({ length: 8 }, () => TestSocket.join(wsUrl, token(randomUUID()))))
  t.teardown(() => Promise.all(sockets.map(({ socket }) => socket.close())))
  t.equal(sockets.length, 8, 'every socket was welcomed')
  t.equal(draining.app.websocketServer.clients.size, 0, 'none on the draining replica')
  t.equal(staying.app.websocketServer.clients.size, 8, 'all on the other one')
  for (let i = 0; i < 6; i++) {
    t.equal((await api(balancer.url, 'GET', `/v1/sessions/${id}`, token(randomUUID()))).status, 200, 'a read is answered')
    t.equal((await api(balancer.url, 'POST', '/v1/sessions', token(randomUUID()), { title: 'Later', videoUrl: 'https://videos.example/a.mp4' })).status, 201, 'a session is started')
  }
  const refused = drainingLog.filter((l) => l.msg === 'request completed' && l.res?.statusCode === 503).length
  t.ok(refused > 0, `the draining replica refused what the balancer sent it, and the balancer retried it elsewhere (${refused} refused)`)
  t.match((await balancer.serverStates())['session-1'], /^UP/, 'the balancer had not yet taken the draining replica out')
})
