import t from 'tap'
import { openApiProblems, recordRoutes } from '@tandem/service-kit/testing'
import { securityHeaderProblems } from '@tandem/service-kit/testing/abuse'
import { startAuthApp } from '../fixtures/auth-app.ts'

const { built, routes } = await recordRoutes(() => startAuthApp(t))
const { app } = built

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  t.same(securityHeaderProblems(res.headers), [])
  const doc = res.json()
  t.match(doc.openapi, /^3\./)
  t.ok(routes.length >= 8, `${routes.length} routes recorded`)
  t.same(openApiProblems(doc, routes), [])
  t.ok(doc.paths['/.well-known/jwks.json'].get.responses['200'].content['application/json'].schema, 'the JWKS too')
})

t.test('/docs serves the UI as HTML', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs' })
  const page = res.statusCode === 302 ? await app.inject({ method: 'GET', url: String(res.headers.location) }) : res
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.same(securityHeaderProblems(page.headers), [])
})
