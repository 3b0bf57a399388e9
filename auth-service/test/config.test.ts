import t from 'tap'
import { ConfigError } from '@tandem/service-kit'
import { loadAuthConfig } from '../src/config.ts'

t.test('defaults describe a local development setup with strong password hashing', async (t) => {
  const config = loadAuthConfig({})
  t.equal(config.port, 4001)
  t.equal(config.host, '0.0.0.0')
  t.equal(config.databaseUrl, 'postgres://postgres@127.0.0.1:5432/tandem_auth')
  t.equal(config.natsNamespace, '')
  t.equal(config.accessTokenTtlSeconds, 900)
  t.equal(config.refreshTokenTtlSeconds, 30 * 86_400)
  t.same(config.passwordHashing, { memoryCostKib: 19456, timeCost: 2, parallelism: 1 })
  t.equal(config.privateKeyFile, undefined)
})

t.test('variables are coerced and shaped', async (t) => {
  const config = loadAuthConfig({
    PORT: '0',
    AUTH_ISSUER: 'https://auth.example.com/',
    CORS_ORIGINS: 'https://a.example, https://b.example,',
    REFRESH_TOKEN_TTL_DAYS: '0.5',
    RATE_LIMIT_WINDOW_SECONDS: '60',
    AUTH_PRIVATE_KEY_FILE: '/run/secrets/auth.pem',
  })
  t.equal(config.port, 0)
  t.equal(config.issuer, 'https://auth.example.com', 'trailing slash dropped so `iss` matches exactly')
  t.same(config.corsOrigins, ['https://a.example', 'https://b.example'])
  t.equal(config.refreshTokenTtlSeconds, 43_200)
  t.equal(config.rateLimit.windowMs, 60_000)
  t.equal(config.privateKeyFile, '/run/secrets/auth.pem')
})

t.test('a bad variable fails with its name', async (t) => {
  t.throws(() => loadAuthConfig({ ACCESS_TOKEN_TTL_SECONDS: '3600' }), {
    name: 'ConfigError',
    message: /ACCESS_TOKEN_TTL_SECONDS must be <= 900/,
  })
  t.throws(() => loadAuthConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
  t.throws(() => loadAuthConfig({ ARGON2_MEMORY_KIB: '64' }), /ARGON2_MEMORY_KIB must be >= 1024/)
  t.throws(() => loadAuthConfig({ NATS_NAMESPACE: 'a.b' }), ConfigError)
})

t.test('sign-in limits and trusted proxies', async (t) => {
  const defaults = loadAuthConfig({})
  t.same(defaults.trustedProxies, [], 'no proxy is trusted unless configured')
  t.equal(defaults.signInMaxAgeSeconds, 30 * 86_400)
  t.equal(defaults.refreshReuseWindowSeconds, 30)
  t.same(defaults.rateLimit.backoff, { afterFailures: 10, baseSeconds: 1, maxSeconds: 60 })
  const config = loadAuthConfig({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,fd00::/8', SIGN_IN_MAX_AGE_DAYS: '0.5' })
  t.same(config.trustedProxies, ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])
  t.equal(config.signInMaxAgeSeconds, 43_200)
  for (const bad of ['web', '10.0.0.0/33', '127.0.0.1/8/1', '::1/129']) {
    t.throws(() => loadAuthConfig({ TRUSTED_PROXIES: bad }), { name: 'ConfigError', message: /TRUSTED_PROXIES/ }, bad)
  }
})
