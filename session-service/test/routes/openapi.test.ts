import t from 'tap'
import { apiDocsProblems, apiDocsUiProblems, recordRoutes } from '@tandem/service-kit/testing'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const { built, routes } = await recordRoutes(() => startSessionApp(t, world))
const { app } = built
// join, leave and end act on the session named in the path and read no body
const withoutBody = ['join', 'leave', 'end'].map((action) => `POST /v1/sessions/:id/${action}`)

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const { doc, problems } = await apiDocsProblems(app, routes, withoutBody)
  t.same(problems, [])
  t.ok(routes.length >= 9, `${routes.length} routes recorded`)
  t.ok(doc?.paths['/v1/sessions/{id}/ws']?.get?.responses?.['101'], 'the WebSocket route as an upgrade')
})

t.test('/docs serves the UI as HTML', async (t) => {
  t.same(await apiDocsUiProblems(app), [])
})
