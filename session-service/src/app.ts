import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import websocket from '@fastify/websocket'
import { natsTopology, SYSTEM_ACTOR } from '@tandem/contracts'
import { authPlugin, countNatsStatus, createJwksVerifier, createServiceApp, healthPlugin, NatsClient, type TokenVerifier } from '@tandem/service-kit'
import type { SessionConfig } from './config.ts'
import { openEventStore, type EventStoreConnection } from './event-store/open-event-store.ts'
import { SessionRepository } from './stream/session-repository.ts'
import { SessionHub } from './live/session-hub.ts'
import { LobbyProjection } from './lobby/lobby-projection.ts'
import { WatchingNow } from './lobby/watching-now.ts'
import { IdleSweeper } from './lobby/idle-sweeper.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { sessionSocketRoute } from './routes/session-socket.ts'
import type { SessionConnection } from './ws/session-connection.ts'
import { defaultConnectionLimits, type ConnectionLimits } from './ws/connection-limits.ts'
import { SocketCaps } from './ws/socket-caps.ts'
import { loadInviteKey } from './invites/invite-key.ts'
import { InviteLinks } from './invites/invite-links.ts'
import { SessionMetrics } from './metrics/session-metrics.ts'
import { ReplicaDrain } from './drain/replica-drain.ts'
import { refuseWhileDraining } from './plugins/drain-gate.ts'

export interface SessionDeps {
  /** An event store to use instead of opening `EVENT_STORE_URL`; the app does not close it. */
  eventStore?: EventStoreConnection
  /** A NATS client to use instead of one made from `NATS_URL`; the app does not close it. */
  nats?: NatsClient
  /** Token verification to use instead of the JWKS at `AUTH_JWKS_URL`. */
  verifier?: TokenVerifier
  /** Per-socket limits (tests tighten them). */
  connectionLimits?: Partial<ConnectionLimits>
  now?: () => number
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Ends idle sessions on a timer; `sweep()` runs one pass now (tests run several replicas' at once). */
    idleSweeper: IdleSweeper
    /** The sessions this replica serves; `natsStats()` counts its subscriptions and NATS messages. */
    sessionHub: SessionHub
    /**
     * Hands this replica's sockets over before it exits (server.ts runs it on SIGTERM, then
     * `close()`): readiness 503 and new work refused at once, then after `DRAIN_DELAY_MS` each
     * socket closes with 4503 within `DRAIN_SPREAD_MS`, after its commands in flight are
     * acknowledged. Resolves when every socket has been let go.
     */
    drain(): Promise<void>
  }
}

/** Frames above this are refused by the WebSocket layer itself (close 1009); smaller oversize frames get an error. */
const MAX_WS_PAYLOAD = 64 * 1024
/** On shutdown or drain, how long commands in flight may take to be acknowledged before sockets close anyway. */
const SHUTDOWN_ACK_PATIENCE_MS = 5000

/**
 * session-service as a Fastify app: the event store chosen by the URL scheme, the live hub
 * relaying over NATS, the lobby projection, REST routes and the session socket. `drain()` hands
 * the sockets over to the other replicas (4503, spread out); `close()` says goodbye to the sockets
 * still open (1001), waits for commands in flight, then closes NATS and the store. Does not listen.
 */
export async function buildApp(config: SessionConfig, deps: SessionDeps = {}): Promise<FastifyInstance> {
  const app = await createServiceApp({
    service: 'session-service',
    logLevel: config.logLevel,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustedProxies,
    logStream: deps.logStream,
  })
  const now = deps.now ?? Date.now
  const connections = new Set<SessionConnection>()
  // in the app's registry, served at /metrics; more of the service's metrics go here
  const metrics = new SessionMetrics(app.metrics.registry, { openSockets: () => connections.size })
  let stopCountingNats: (() => void) | undefined
  const replicaDrain = new ReplicaDrain({
    timing: config.drain,
    sockets: () => connections,
    ackPatienceMs: SHUTDOWN_ACK_PATIENCE_MS,
    log: app.log,
  })
  app.decorate('drain', () => replicaDrain.run())
  let store: EventStoreConnection | undefined = deps.eventStore
  let nats: NatsClient | undefined
  let hub: SessionHub | undefined
  let lobby: LobbyProjection | undefined
  let sweeper: IdleSweeper | undefined
  let repository: SessionRepository | undefined

  app.addHook('preClose', async () => {
    replicaDrain.stop()
    let timer: NodeJS.Timeout | undefined
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_ACK_PATIENCE_MS)))
    await Promise.race([Promise.all([...connections].map((c) => c.goAway())), patience])
    clearTimeout(timer)
  })
  app.addHook('onClose', async () => {
    stopCountingNats?.()
    await sweeper?.stop()
    await hub?.close()
    await lobby?.stop()
    await repository?.settle()
    if (!deps.nats) await nats?.close()
    if (!deps.eventStore) await store?.close()
  })

  try {
    const invites = new InviteLinks(await loadInviteKey(config.inviteSecret, app.log))
    store ??= await openEventStore(config.eventStoreUrl, {
      poolSize: config.eventStorePoolSize,
      onConnectionError: (err) => app.log.warn({ err }, 'an idle event store connection failed'),
    })
    app.log.info({ eventStore: store.kind, replicaId: config.replicaId }, 'event store open')
    nats = deps.nats ?? new NatsClient({ url: config.natsUrl, name: `session-service ${config.replicaId}`, log: app.log })
    stopCountingNats = countNatsStatus(metrics.registry, nats)
    repository = new SessionRepository(store.events, store.snapshots, {
      snapshotEvery: config.snapshotEvery,
      onSnapshotError: (err) => app.log.warn({ err }, 'saving a snapshot failed'),
      observeAppend: (seconds) => metrics.observeAppend(seconds),
    })
    const projection = new LobbyProjection(store.events, app.log, {
      checkpoints: store.checkpoints,
      checkpointEvery: config.lobbyCheckpoint.every,
      checkpointIntervalMs: config.lobbyCheckpoint.intervalMs,
    })
    lobby = projection
    let watching: WatchingNow | undefined
    hub = new SessionHub({
      repository,
      observe: (sessionId, stored) => projection.observe(sessionId, stored),
      onPresenceDigest: (digest) => watching?.applyDigest(digest),
      topology: natsTopology(config.natsNamespace),
      replicaId: config.replicaId,
      log: app.log,
      resyncIntervalMs: config.resyncIntervalMs,
      lingerMs: config.sessionLingerMs,
      presenceAnnounceMs: config.presence.announceMs,
      presenceTtlMs: config.presence.ttlMs,
      hostGoneMs: config.hostGoneMs,
      now,
    })
    const liveHub = hub
    metrics.watchHub(liveHub)
    watching = new WatchingNow({ ttlMs: hub.presenceTtlMs, now })
    sweeper = new IdleSweeper({
      idleEndMs: config.idleEndMs,
      sessions: projection,
      watching,
      endIdle: (id) => liveHub.withRoom(id, (room) => room.live.execute({ id: randomUUID(), userId: SYSTEM_ACTOR, at: now(), command: { type: 'endIdle' } })),
      now,
      log: app.log,
    })
    app.decorate('idleSweeper', sweeper)
    app.decorate('sessionHub', liveHub)
    nats.connected.then((nc) => liveHub.attachNats(nc)).catch(() => undefined)
    const verifier = deps.verifier ?? createJwksVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer })

    const natsClient = nats
    const events = store.events
    await app.register(healthPlugin, {
      draining: () => replicaDrain.draining,
      checks: {
        eventStore: () => events.ping(),
        nats: async () => {
          if (!natsClient.isConnected()) throw new Error('not connected')
        },
      },
    })
    await app.register(authPlugin, { verifier })
    await app.register(websocket, { options: { maxPayload: MAX_WS_PAYLOAD } })
    refuseWhileDraining(app, () => replicaDrain.draining)
    await app.register(sessionRoutes, {
      hub,
      lobby,
      watching,
      now,
      limits: config.requestLimits,
      maxOpenSessionsPerHost: config.maxOpenSessionsPerHost,
      invites,
    })
    await app.register(sessionSocketRoute, {
      connections,
      deps: {
        hub,
        repository,
        verifier,
        log: app.log,
        now,
        limits: { ...defaultConnectionLimits, ...deps.connectionLimits },
        socketCaps: new SocketCaps(config.socketCaps),
        metrics,
      },
    })
  } catch (err) {
    await app.close()
    throw err
  }

  const projection = lobby
  const idleSweeper = sweeper
  app.addHook('onReady', async () => {
    projection?.start()
    idleSweeper?.start()
  })
  return app
}
