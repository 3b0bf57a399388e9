import t from 'tap'
import { AppError, authPlugin, createJwksVerifier, createServiceApp } from '../src/index.ts'
import { startTestIssuer, unknownKidToken } from '../src/testing/index.ts'

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

t.test('REST and the JWKS verifier share the keys, the fetches and the refused kids', async (t) => {
  const issuer = await startTestIssuer()
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 300 })
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  await app.register(authPlugin, { verifier })
  app.get('/who', { preHandler: app.authenticate }, async (request) => ({ id: request.user.sub }))
  t.teardown(async () => { await app.close(); await issuer.close() })

  const who = (token: string) => app.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } })
  t.same((await who(issuer.sign('u-1'))).json(), { id: 'u-1' }, 'the first request fetched the key')
  t.match(await verifier.verify(issuer.sign('u-2')), { sub: 'u-2' }, 'the socket path finds it cached')
  const expired = await who(issuer.sign('u-5', { exp: Math.floor(Date.now() / 1000) - 10 }))
  t.same([expired.statusCode, expired.json().error.code], [401, 'token_expired'])
  issuer.rotate()
  const [rest, socket] = await Promise.all([who(issuer.sign('u-3')), verifier.verify(issuer.sign('u-4'))])
  t.same([rest.json(), socket.sub], [{ id: 'u-3' }, 'u-4'], 'a new kid is fetched once for both')
  t.equal(issuer.jwksFetches, 2)
  const madeUp = unknownKidToken(issuer.issuer)
  t.equal((await who(madeUp)).json().error.code, 'invalid_token', 'an unknown kid is refused after a fetch')
  await t.rejects(verifier.verify(madeUp), { code: 'invalid_token' }, 'and on the socket path at once')
  t.equal(issuer.jwksFetches, 3)
})

t.test('a verifier that is not a JWKS verifier (injected by tests) is asked directly', async (t) => {
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  const verifier = {
    async verify(token: string) {
      if (token !== 'good') throw new AppError(401, 'invalid_token', 'access token is not valid')
      return { sub: 'u-9', name: 'Nine', iss: 'i', aud: 'tandem', iat: 0, exp: 0, jti: 'j' }
    },
  }
  await app.register(authPlugin, { verifier })
  app.get('/who', { preHandler: app.authenticate }, async (request) => ({ id: request.user.sub }))
  t.teardown(() => app.close())

  t.same((await app.inject({ url: '/who', headers: { authorization: 'Bearer good' } })).json(), { id: 'u-9' })
  t.equal((await app.inject({ url: '/who', headers: { authorization: 'Bearer bad' } })).json().error.code, 'invalid_token')
  t.equal((await app.inject({ url: '/who' })).json().error.code, 'unauthenticated')
})
