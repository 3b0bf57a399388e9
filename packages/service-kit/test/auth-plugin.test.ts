import t from 'tap'
import { authPlugin, createJwksVerifier, createServiceApp } from '../src/index.ts'
import { startTestIssuer } from '../src/testing/index.ts'

t.test('authenticate sets request.user or answers 401', async (t) => {
  const issuer = await startTestIssuer()
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  await app.register(authPlugin, { verifier: createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer }) })
  app.get('/who', { preHandler: app.authenticate }, async (request) => ({ id: request.user.sub }))
  t.teardown(async () => { await app.close(); await issuer.close() })

  const ok = await app.inject({ url: '/who', headers: { authorization: `Bearer ${issuer.sign('u-1')}` } })
  t.same(ok.json(), { id: 'u-1' })
  const none = await app.inject({ url: '/who' })
  t.equal(none.statusCode, 401)
  t.equal(none.json().error.code, 'unauthenticated')
  const basic = await app.inject({ url: '/who', headers: { authorization: 'Basic abc' } })
  t.equal(basic.json().error.code, 'invalid_token')
  const bad = await app.inject({ url: '/who', headers: { authorization: 'Bearer abc.def.ghi' } })
  t.equal(bad.statusCode, 401)
  t.equal(bad.json().error.code, 'invalid_token')
})
