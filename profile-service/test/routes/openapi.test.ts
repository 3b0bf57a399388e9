import t from 'tap'
import { openApiProblems, recordRoutes, waitFor } from '@tandem/service-kit/testing'
import { securityHeaderProblems } from '@tandem/service-kit/testing/abuse'
import { consumerIsPulling, createWorld } from '../fixtures/profile-app.ts'

const world = await createWorld()
t.teardown(() => world.close())
const { built: app, routes } = await recordRoutes(() => world.startApp())
// closing the app while its user.registered consumer is still starting can leave the process hanging
await waitFor(() => consumerIsPulling(world.nc, world.topology), 10_000, 'the user.registered consumer')

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  t.same(securityHeaderProblems(res.headers), [])
  const doc = res.json()
  t.match(doc.openapi, /^3\./)
  t.ok(routes.length >= 7, `${routes.length} routes recorded`)
  t.same(openApiProblems(doc, routes), [])
  t.ok(doc.paths['/v1/profiles/me'].patch.requestBody.content['application/json'].schema.properties.preferences, 'the PATCH body')
})

t.test('/docs serves the UI as HTML', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs' })
  const page = res.statusCode === 302 ? await app.inject({ method: 'GET', url: String(res.headers.location) }) : res
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.same(securityHeaderProblems(page.headers), [])
})
