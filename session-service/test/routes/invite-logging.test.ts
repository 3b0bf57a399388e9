import t from 'tap'
import { randomUUID } from 'node:crypto'
import { api, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { inviteOf, joinWith, startRoom } from '../fixtures/rooms.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const token = (user: string) => world.issuer.sign(user)

t.test('invite tokens never reach the logs, whatever the request does with them', async (t) => {
  const lines: string[] = []
  const server = await startSessionApp(t, world, { env: { LOG_LEVEL: 'trace' }, deps: { logStream: { write: (line) => void lines.push(line) } } })
  const { baseUrl } = server
  const id = await startRoom(baseUrl, token(HOST))
  const link = await inviteOf(baseUrl, id, token(HOST))
  const reset = await api<{ token: string }>(baseUrl, 'POST', `/v1/sessions/${id}/invite`, token(HOST), { expiresInMinutes: 5 })
  const secrets = [link.token, reset.body.token]
  const forged = link.token.slice(0, 22) + 'A'.repeat(22)
  const user = () => token(randomUUID())

  t.equal((await joinWith(baseUrl, id, user(), reset.body.token)).status, 200, 'a good link')
  t.equal((await joinWith(baseUrl, id, user(), link.token)).status, 404, 'a revoked link')
  t.equal((await joinWith(baseUrl, id, user(), forged)).status, 404, 'a forged link')
  t.equal((await joinWith(baseUrl, randomUUID(), user(), link.token)).status, 404, 'a link to an unknown session')
  t.equal((await joinWith(baseUrl, id, user(), `${link.token}!`)).status, 400, 'a link that fails the schema')
  t.equal((await api(baseUrl, 'POST', `/v1/sessions/${id}/join?invite=${link.token}`, user(), {})).status, 404, 'a link in the query string')
  t.equal((await api(baseUrl, 'GET', `/v1/sessions/${id}?invite=${link.token}&token=${link.token}`, token(HOST))).status, 200)
  const broken = await fetch(`${baseUrl}/v1/sessions/${id}/join`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user()}`, 'content-type': 'application/json' },
    body: `{"invite":"${link.token}"`,
  })
  t.equal(broken.status, 400, 'a body that is not JSON')

  await server.close()
  const log = lines.join('')
  t.match(log, /incoming request/, 'requests were logged')
  t.match(log, new RegExp(`/v1/sessions/${id}/join\\?invite=\\[redacted\\]`), 'a query-string link is logged redacted')
  for (const secret of [...secrets, forged]) t.notOk(log.includes(secret), 'the token is absent from the logs')
  t.notOk(log.includes(link.token.slice(22)), 'and so is its MAC')
})
