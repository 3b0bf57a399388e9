import t from 'tap'
import { openApiProblems, recordRoutes } from '@tandem/service-kit/testing'
import { securityHeaderProblems } from '@tandem/service-kit/testing/abuse'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const { built, routes } = await recordRoutes(() => startSessionApp(t, world))
const { app } = built
// join, leave and end act on the session named in the path and read no body
const withoutBody = ['join', 'leave', 'end'].map((action) => `POST /v1/sessions/:id/${action}`)

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  t.same(securityHeaderProblems(res.headers), [])
  const doc = res.json()
  t.match(doc.openapi, /^3\./)
  t.ok(routes.length >= 9, `${routes.length} routes recorded`)
  t.same(openApiProblems(doc, routes, withoutBody), [])
  t.ok(doc.paths['/v1/sessions/{id}/ws'].get.responses['101'], 'the WebSocket route as an upgrade')
})

t.test('/docs serves the UI as HTML', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs' })
  const page = res.statusCode === 302 ? await app.inject({ method: 'GET', url: String(res.headers.location) }) : res
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.same(securityHeaderProblems(page.headers), [])
})
