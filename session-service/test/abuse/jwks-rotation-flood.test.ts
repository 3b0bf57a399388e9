import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SessionSocket, startUnknownKidFlood, waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

// Tokens with made-up key ids flood the REST routes while auth-service rotates its key: the
// tokens of the new key still get in, on REST and on the socket's hello, and the JWKS is
// fetched at most about once a second (the verifier's default) however many kids arrive.

const world = await createWorld(t)
const server = await startSessionApp(t, world)
const HOST = randomUUID()
const session = await createSession(server.baseUrl, world.issuer.sign(HOST))

t.test('a key rotated during a flood of unknown kids is accepted on REST and hello while the flood goes on', async (t) => {
  const started = Date.now()
  const fetchesBefore = world.issuer.jwksFetches
  let floodAccepted = 0
  const flood = startUnknownKidFlood(world.issuer.issuer, async (token) => {
    const res = await api(server.baseUrl, 'GET', '/v1/sessions', token)
    if (res.status !== 401) floodAccepted++
  }, 32)
  t.teardown(() => flood.stop())
  await waitFor(() => flood.sent >= 20, 60_000, 'the flood to be under way')

  world.issuer.rotate()
  const sentAtRotation = flood.sent
  const rest = await api<{ sessions: unknown[] }>(server.baseUrl, 'GET', '/v1/sessions', world.issuer.sign(randomUUID()))
  t.equal(rest.status, 200, 'REST accepts a token of the new key')
  const { socket, welcome } = await SessionSocket.join(server.wsUrl(session.id), world.issuer.sign(HOST))
  t.teardown(() => socket.close())
  t.equal(welcome.userId, HOST, 'hello accepts a token of the new key')
  await waitFor(() => flood.sent >= sentAtRotation + 20, 60_000, 'the flood to go on')
  await flood.stop()

  const elapsed = Date.now() - started
  const fetches = world.issuer.jwksFetches - fetchesBefore
  t.equal(floodAccepted, 0, 'every flood token was refused')
  t.ok(fetches <= 2 + elapsed / 1000, `${fetches} JWKS fetches in ${elapsed} ms`)
  t.ok(fetches < flood.sent / 5, `${fetches} JWKS fetches for ${flood.sent} distinct unknown kids`)
  t.comment(`unknown-kid flood on session-service REST: ${flood.sent} distinct kids in ${elapsed} ms, ${fetches} JWKS fetches; the rotated key got in on REST and hello`)
})
