import t from 'tap'
import { apiDocsProblems, apiDocsUiProblems, recordRoutes } from '@tandem/service-kit/testing'
import { startAuthApp } from '../fixtures/auth-app.ts'

const { built, routes } = await recordRoutes(() => startAuthApp(t))
const { app } = built

t.test('/docs/json documents every route with its schemas, without a token', async (t) => {
  const { doc, problems } = await apiDocsProblems(app, routes)
  t.same(problems, [])
  t.ok(routes.length >= 8, `${routes.length} routes recorded`)
  t.ok(doc?.paths['/.well-known/jwks.json']?.get?.responses?.['200']?.content?.['application/json']?.schema, 'the JWKS too')
})

t.test('/docs serves the UI as HTML', async (t) => {
  t.same(await apiDocsUiProblems(app), [])
})
