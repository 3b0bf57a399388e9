import t from 'tap'
import { parseWebConfig } from '../../src/lib/server/config.ts'

t.test('defaults are the native-mode ports', async (t) => {
  t.same(parseWebConfig({}), {
    authUrl: 'http://127.0.0.1:4001',
    profileUrl: 'http://127.0.0.1:4002',
    sessionUrl: 'http://127.0.0.1:4003',
    publicSessionUrl: 'http://127.0.0.1:4003',
    authIssuer: 'http://127.0.0.1:4001',
  })
})

t.test('the environment wins; trailing slashes go; bad URLs fail at start', async (t) => {
  const config = parseWebConfig({ AUTH_URL: 'http://auth:4001/', PUBLIC_SESSION_URL: 'https://tandem.example/session', AUTH_ISSUER: 'https://tandem.example/auth' })
  t.equal(config.authUrl, 'http://auth:4001')
  t.equal(config.publicSessionUrl, 'https://tandem.example/session')
  t.equal(config.authIssuer, 'https://tandem.example/auth')
  t.throws(() => parseWebConfig({ SESSION_URL: 'nats://x' }), /SESSION_URL must be an http\(s\) URL/)
  t.throws(() => parseWebConfig({ PROFILE_URL: 'not a url' }), /PROFILE_URL/)
})
