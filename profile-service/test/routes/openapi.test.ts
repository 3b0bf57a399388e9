import t from 'tap'
import { apiDocsProblems, apiDocsUiProblems, recordRoutes, waitFor } from '@tandem/service-kit/testing'
import { consumerIsPulling, createWorld } from '../fixtures/profile-app.ts'

const world = await createWorld()
t.teardown(() => world.close())
const { built: app, routes } = await recordRoutes(() => world.startApp())
// closing the app while its user.registered consumer is still starting can leave the process hanging
await waitFor(() => consumerIsPulling(world.nc, world.topology), 10_000, 'the user.registered consumer')

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const { doc, problems } = await apiDocsProblems(app, routes)
  t.same(problems, [])
  t.ok(routes.length >= 7, `${routes.length} routes recorded`)
  const body = doc?.paths['/v1/profiles/me']?.patch?.requestBody?.content?.['application/json']?.schema as { properties?: Record<string, unknown> }
  t.ok(body?.properties?.preferences, 'the PATCH body')
})

t.test('/docs serves the UI as HTML', async (t) => {
  t.same(await apiDocsUiProblems(app), [])
})
