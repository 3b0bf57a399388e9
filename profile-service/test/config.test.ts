import t from 'tap'
import { corsOrigins, loadProfileConfig } from '../src/config.ts'

const required = {
  PROFILE_STORE_URL: 'postgres://postgres@127.0.0.1:5432/tandem_profile',
  AUTH_JWKS_URL: 'http://127.0.0.1:4001/.well-known/jwks.json',
  AUTH_ISSUER: 'http://127.0.0.1:4001',
}

t.test('defaults', async (t) => {
  const config = loadProfileConfig(required)
  t.match(config, { PORT: 4002, HOST: '127.0.0.1', NATS_URL: 'nats://127.0.0.1:4222', NATS_NAMESPACE: '', LOG_LEVEL: 'info' })
  t.same(corsOrigins(config), [])
  t.same(corsOrigins(loadProfileConfig({ ...required, CORS_ORIGINS: 'http://localhost:3000, https://tandem.example' })), [
    'http://localhost:3000',
    'https://tandem.example',
  ])
})

t.test('required and invalid variables are named', async (t) => {
  t.throws(() => loadProfileConfig({}), { name: 'ConfigError', message: /PROFILE_STORE_URL is required/ })
  t.throws(() => loadProfileConfig({ ...required, PROFILE_STORE_URL: 'mysql://x/y' }), { message: /PROFILE_STORE_URL/ })
  t.throws(() => loadProfileConfig({ ...required, PORT: 'http' }), { message: /PORT must be integer/ })
  t.throws(() => loadProfileConfig({ ...required, NATS_NAMESPACE: 'a.b' }), { message: /NATS_NAMESPACE/ })
})

t.test('both store schemes are accepted', async (t) => {
  t.doesNotThrow(() => loadProfileConfig({ ...required, PROFILE_STORE_URL: 'mongodb://mongo:27017/profile' }))
  t.doesNotThrow(() => loadProfileConfig({ ...required, PROFILE_STORE_URL: 'postgresql://localhost/tandem_profile' }))
})
