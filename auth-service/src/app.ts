import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { natsTopology } from '@tandem/contracts'
import { authPlugin, createServiceApp, healthPlugin, NatsClient, countNatsStatus } from '@tandem/service-kit'
import type { AuthConfig } from './config.ts'
import type { AuthContext } from './context.ts'
import { createPool } from './db/pool.ts'
import { migrate } from './db/migrate.ts'
import { purgeExpired } from './maintenance.ts'
import { OutboxRelay } from './outbox/relay.ts'
import { attemptLimitsPlugin } from './plugins/attempt-limits.ts'
import { createAccessTokenSigner } from './tokens/access-tokens.ts'
import { loadSigningKeys } from './tokens/signing-keys.ts'
import { successorKey } from './tokens/refresh-tokens.ts'
import { ownJwksVerifier } from './tokens/own-jwks-verifier.ts'
import { createPasswordHasher } from './users/password-hasher.ts'
import { jwksRoute } from './routes/jwks.ts'
import { loginRoute } from './routes/login.ts'
import { meRoute } from './routes/me.ts'
import { refreshRoutes } from './routes/refresh.ts'
import { registerRoute } from './routes/register.ts'

export interface AuthDeps {
  /** A pool to use instead of one made from `DATABASE_URL`; the app does not end it. */
  pool?: pg.Pool
  /** A NATS client to use instead of one made from `NATS_URL`; the app does not close it. */
  nats?: NatsClient
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthContext
  }
}

const MAINTENANCE_INTERVAL_MS = 10 * 60_000

/**
 * auth-service as a Fastify app: migrates the database, loads (or creates) the signing keys,
 * and registers the routes. Starts the outbox relay when ready; `close()` stops it, drains NATS
 * and ends the pool. Does not listen.
 */
export async function buildApp(config: AuthConfig, deps: AuthDeps = {}): Promise<FastifyInstance> {
  const app = await createServiceApp({
    service: 'auth-service',
    logLevel: config.logLevel,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustedProxies,
  })
  const pool = deps.pool ?? createPool(config.databaseUrl)
  const nats = deps.nats ?? new NatsClient({ url: config.natsUrl, name: 'auth-service', log: app.log })
  const stopCountingNats = countNatsStatus(app.metrics.registry, nats)
  app.addHook('onClose', async () => void stopCountingNats())
  const relay = new OutboxRelay({
    pool,
    nats,
    topology: natsTopology(config.natsNamespace),
    log: app.log,
    pollIntervalMs: config.outbox.pollIntervalMs,
    batchSize: config.outbox.batchSize,
  })
  let maintenance: NodeJS.Timeout | undefined

  app.addHook('onClose', async () => {
    clearInterval(maintenance)
    await relay.stop()
    if (!deps.nats) await nats.close()
    if (!deps.pool) await pool.end()
  })

  try {
    const version = await migrate(pool)
    app.log.info({ version }, 'database schema up to date')
    const keys = loadSigningKeys({
      dataDir: config.dataDir,
      privateKeyFile: config.privateKeyFile,
      warn: (message) => app.log.warn(message),
    })
    const ctx: AuthContext = {
      pool,
      passwords: await createPasswordHasher(config.passwordHashing),
      keys,
      accessTokens: createAccessTokenSigner({ key: keys.current, issuer: config.issuer, ttlSeconds: config.accessTokenTtlSeconds }),
      refresh: {
        ttlSeconds: config.refreshTokenTtlSeconds,
        signInMaxAgeSeconds: config.signInMaxAgeSeconds,
        reuseWindowSeconds: config.refreshReuseWindowSeconds,
        successorKey: successorKey(keys.current.privateKeyPem),
      },
      relay,
    }
    app.decorate('auth', ctx)

    await app.register(healthPlugin, { checks: { postgres: () => pool.query('SELECT 1') } })
    await app.register(authPlugin, { verifier: ownJwksVerifier(app, config.issuer) })
    await app.register(attemptLimitsPlugin, { pool, limits: config.rateLimit })
    await app.register(jwksRoute, { ctx })
    await app.register(registerRoute, { ctx })
    await app.register(loginRoute, { ctx })
    await app.register(refreshRoutes, { ctx })
    await app.register(meRoute, { ctx })
  } catch (err) {
    await app.close()
    throw err
  }

  app.addHook('onReady', async () => {
    relay.start()
    maintenance = setInterval(() => {
      purgeExpired(pool).then(
        (purged) => app.log.debug({ purged }, 'expired rows purged'),
        (err: unknown) => app.log.warn({ err }, 'purging expired rows failed'),
      )
    }, MAINTENANCE_INTERVAL_MS).unref()
  })
  return app
}
