import type { FastifyInstance } from 'fastify'
import { natsTopology } from '@tandem/contracts'
import {
  NatsClient,
  authPlugin,
  createJwksVerifier,
  createServiceApp,
  healthPlugin,
  type TokenVerifier,
  countNatsStatus,
} from '@tandem/service-kit'
import { corsOrigins, type ProfileServiceConfig } from './config.ts'
import { profileStoreFromUrl } from './adapters/profile-store-from-url.ts'
import type { ProfileStore } from './profiles/profile-store.ts'
import { ProfileUpdatedPublisher } from './events/profile-updated-publisher.ts'
import { startUserRegisteredConsumer } from './consumers/user-registered.ts'
import { readProfileRoutes } from './routes/read-profiles.ts'
import { editProfileRoutes } from './routes/edit-profile.ts'

export interface ProfileAppDeps {
  /** Defaults to the adapter named by PROFILE_STORE_URL. An injected store is not closed by the app. */
  store?: ProfileStore
  /** Defaults to a client of NATS_URL. An injected client is not closed by the app. */
  nats?: NatsClient
  verifier?: TokenVerifier
  now?: () => Date
}

/**
 * The profile-service: REST routes over the profile store, the `user.registered` consumer that
 * creates default profiles, and the `profile.updated` publisher. Nothing listens until the
 * caller does; NATS may be down (it is connected in the background).
 */
export async function buildApp(config: ProfileServiceConfig, deps: ProfileAppDeps = {}): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'profile-service', logLevel: config.LOG_LEVEL, corsOrigins: corsOrigins(config) })
  const now = deps.now ?? (() => new Date())
  const topology = natsTopology(config.NATS_NAMESPACE)

  const store = deps.store ?? profileStoreFromUrl(config.PROFILE_STORE_URL)
  try {
    await store.init()
  } catch (err) {
    if (!deps.store) await store.close().catch(() => {})
    await app.close()
    throw err
  }
  const nats = deps.nats ?? new NatsClient({ url: config.NATS_URL, name: 'profile-service', log: app.log })
  const stopCountingNats = countNatsStatus(app.metrics.registry, nats)
  app.addHook('onClose', async () => void stopCountingNats())
  const verifier = deps.verifier ?? createJwksVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER })

  const publisher = new ProfileUpdatedPublisher({
    nats,
    topology,
    store,
    log: app.log,
    retryIntervalMs: config.PUBLISH_RETRY_INTERVAL_MS,
  })
  const consumer = startUserRegisteredConsumer({ nats, topology, store, log: app.log, now })
  publisher.start()

  app.addHook('onClose', async () => {
    await consumer.stop()
    await publisher.stop()
    if (!deps.nats) await nats.close()
    if (!deps.store) await store.close()
  })

  await app.register(healthPlugin, { checks: { store: () => store.ping() } })
  await app.register(authPlugin, { verifier })
  await app.register(async (api) => {
    api.addHook('onRequest', async (request) => api.authenticate(request))
    await api.register(readProfileRoutes, { store, now })
    await api.register(editProfileRoutes, { store, publisher, now })
  })
  return app
}
