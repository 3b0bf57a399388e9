import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { ConfigError, loadConfig, parseTrustedProxies, type EnvSchema } from '@tandem/service-kit'

/** Environment of session-service: names, types, defaults and bounds, validated at start. */
const envSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 4003 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    // postgres://… (native mode: events and snapshots in PostgreSQL) or esdb://… (EventStoreDB)
    EVENT_STORE_URL: {
      type: 'string',
      pattern: '^(postgres|postgresql|esdb|esdb\\+discover|kurrentdb)://',
      default: 'postgres://postgres@127.0.0.1:5432/tandem_session',
    },
    EVENT_STORE_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
    NATS_URL: { type: 'string', minLength: 1, default: 'nats://127.0.0.1:4222' },
    NATS_NAMESPACE: { type: 'string', pattern: '^[A-Za-z0-9_-]*$', default: '' },
    AUTH_JWKS_URL: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:4001/.well-known/jwks.json' },
    AUTH_ISSUER: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:4001' },
    CORS_ORIGINS: { type: 'string', default: 'http://localhost:3000,http://127.0.0.1:3000' },
    // addresses/CIDRs (the balancer in front of the replicas) whose X-Forwarded-For names the
    // client, so that per-address limits count clients and not the balancer; none by default
    TRUSTED_PROXIES: { type: 'string', default: '' },
    // Names this process in logs and in messages to the other replicas; random when empty.
    REPLICA_ID: { type: 'string', pattern: '^[A-Za-z0-9_.-]*$', maxLength: 64, default: '' },
    SNAPSHOT_EVERY: { type: 'integer', minimum: 1, maximum: 100000, default: 100 },
    // the lobby saves its checkpoint after at least this many events and this long since the last save
    LOBBY_CHECKPOINT_EVERY: { type: 'integer', minimum: 1, maximum: 10_000_000, default: 1000 },
    LOBBY_CHECKPOINT_INTERVAL_MS: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 10_000 },
    RESYNC_INTERVAL_MS: { type: 'integer', minimum: 100, default: 5000 },
    // a session no socket or request uses stays loaded, and subscribed to its NATS subjects, this long
    SESSION_LINGER_MS: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 5000 },
    // how often a replica renews its presence (per session, and its digest for the lobby), and how
    // long another replica's presence counts unless renewed (more than twice the former)
    PRESENCE_ANNOUNCE_MS: { type: 'integer', minimum: 50, maximum: 600_000, default: 10_000 },
    PRESENCE_TTL_MS: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 30_000 },
    // REST requests per user (per client address for refused tokens) and window, counted by each replica
    RATE_LIMIT_WINDOW_MS: { type: 'integer', minimum: 1000, maximum: 3_600_000, default: 60_000 },
    RATE_LIMIT_READS: { type: 'integer', minimum: 1, maximum: 100_000, default: 300 },
    RATE_LIMIT_MEMBERSHIP: { type: 'integer', minimum: 1, maximum: 10_000, default: 30 },
    RATE_LIMIT_CREATES: { type: 'integer', minimum: 1, maximum: 10_000, default: 10 },
    RATE_LIMIT_UNAUTHENTICATED: { type: 'integer', minimum: 1, maximum: 100_000, default: 300 },
    // sessions one user may hold open as host, across replicas
    MAX_OPEN_SESSIONS_PER_HOST: { type: 'integer', minimum: 1, maximum: 10_000, default: 5 },
    // open sockets per user, on each replica
    MAX_SOCKETS_PER_USER_SESSION: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
    MAX_SOCKETS_PER_USER: { type: 'integer', minimum: 1, maximum: 10_000, default: 20 },
    // the key invite links are signed with, shared by every replica: given here, or kept in a file
    // that the first replica to start creates (mode 0600) and the others read; a given secret
    // has at least 32 characters
    INVITE_SECRET: { type: 'string', pattern: '^(|[\\s\\S]{32,})$', default: '' },
    INVITE_SECRET_FILE: { type: 'string', default: '' },
    // a host with no socket open this long hands control to the longest-present member
    HOST_GONE_MS: { type: 'integer', minimum: 100, maximum: 86_400_000, default: 120_000 },
    // a session nobody has had open this long ends itself (SessionEnded, reason idle)
    IDLE_END_MS: { type: 'integer', minimum: 100, maximum: 30 * 86_400_000, default: 1_800_000 },
    // On SIGTERM: how long the replica answers /readyz 503 before closing sockets (longer than
    // the balancer's 2 × 500 ms checks), then the window over which its sockets close with 4503
    DRAIN_DELAY_MS: { type: 'integer', minimum: 0, maximum: 60_000, default: 1500 },
    DRAIN_SPREAD_MS: { type: 'integer', minimum: 0, maximum: 300_000, default: 3000 },
  },
} as const satisfies EnvSchema

interface SessionEnv {
  PORT: number
  HOST: string
  LOG_LEVEL: string
  EVENT_STORE_URL: string
  EVENT_STORE_POOL_SIZE: number
  NATS_URL: string
  NATS_NAMESPACE: string
  AUTH_JWKS_URL: string
  AUTH_ISSUER: string
  CORS_ORIGINS: string
  TRUSTED_PROXIES: string
  REPLICA_ID: string
  SNAPSHOT_EVERY: number
  LOBBY_CHECKPOINT_EVERY: number
  LOBBY_CHECKPOINT_INTERVAL_MS: number
  RESYNC_INTERVAL_MS: number
  SESSION_LINGER_MS: number
  PRESENCE_ANNOUNCE_MS: number
  PRESENCE_TTL_MS: number
  RATE_LIMIT_WINDOW_MS: number
  RATE_LIMIT_READS: number
  RATE_LIMIT_MEMBERSHIP: number
  RATE_LIMIT_CREATES: number
  RATE_LIMIT_UNAUTHENTICATED: number
  MAX_OPEN_SESSIONS_PER_HOST: number
  MAX_SOCKETS_PER_USER_SESSION: number
  MAX_SOCKETS_PER_USER: number
  INVITE_SECRET: string
  INVITE_SECRET_FILE: string
  HOST_GONE_MS: number
  IDLE_END_MS: number
  DRAIN_DELAY_MS: number
  DRAIN_SPREAD_MS: number
}

/** REST requests allowed per window: per user by kind of route, per client address for refused tokens. */
export interface RequestLimits {
  windowMs: number
  reads: number
  /** join, leave, end, settings (PATCH) and invite resets */
  membership: number
  creates: number
  unauthenticated: number
}

/** Open sockets allowed to one user on one replica. */
export interface SocketCaps {
  perUserSession: number
  perUser: number
}

/** The graceful hand-over of a replica's sockets before it exits. */
export interface DrainTiming {
  /** From the start of the drain (readiness 503) to the first socket closing, ms. */
  delayMs: number
  /** Each socket closes at a random moment within this window after the delay, ms. */
  spreadMs: number
}

export interface SessionConfig {
  port: number
  host: string
  logLevel: string
  eventStoreUrl: string
  eventStorePoolSize: number
  natsUrl: string
  natsNamespace: string
  jwksUrl: string
  issuer: string
  corsOrigins: string[]
  /** addresses or CIDRs of the proxies (the balancer) trusted to name the client in X-Forwarded-For */
  trustedProxies: string[]
  replicaId: string
  snapshotEvery: number
  /** The lobby's checkpoint is saved after at least `every` events and `intervalMs` since the last save. */
  lobbyCheckpoint: { every: number; intervalMs: number }
  resyncIntervalMs: number
  sessionLingerMs: number
  presence: { announceMs: number; ttlMs: number }
  requestLimits: RequestLimits
  maxOpenSessionsPerHost: number
  socketCaps: SocketCaps
  /** Where the invite-link key comes from: the secret itself, or a file to read (created when missing); both empty: none configured. */
  inviteSecret: { value: string; file: string }
  hostGoneMs: number
  idleEndMs: number
  drain: DrainTiming
}

/** Reads session-service's configuration from the environment; throws `ConfigError` naming a bad variable. */
export function loadSessionConfig(env: Record<string, string | undefined> = process.env): SessionConfig {
  const e = loadConfig<SessionEnv>(envSchema, env)
  if (e.PRESENCE_TTL_MS <= 2 * e.PRESENCE_ANNOUNCE_MS) {
    throw new ConfigError(`invalid configuration: PRESENCE_TTL_MS (${e.PRESENCE_TTL_MS}) must be more than twice PRESENCE_ANNOUNCE_MS (${e.PRESENCE_ANNOUNCE_MS})`)
  }
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    eventStoreUrl: e.EVENT_STORE_URL,
    eventStorePoolSize: e.EVENT_STORE_POOL_SIZE,
    natsUrl: e.NATS_URL,
    natsNamespace: e.NATS_NAMESPACE,
    jwksUrl: e.AUTH_JWKS_URL,
    issuer: e.AUTH_ISSUER.replace(/\/+$/, ''),
    corsOrigins: e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES),
    replicaId: e.REPLICA_ID || `${hostname().replace(/[^A-Za-z0-9_.-]/g, '')}-${process.pid}-${randomBytes(3).toString('hex')}`,
    snapshotEvery: e.SNAPSHOT_EVERY,
    lobbyCheckpoint: { every: e.LOBBY_CHECKPOINT_EVERY, intervalMs: e.LOBBY_CHECKPOINT_INTERVAL_MS },
    resyncIntervalMs: e.RESYNC_INTERVAL_MS,
    sessionLingerMs: e.SESSION_LINGER_MS,
    presence: { announceMs: e.PRESENCE_ANNOUNCE_MS, ttlMs: e.PRESENCE_TTL_MS },
    requestLimits: {
      windowMs: e.RATE_LIMIT_WINDOW_MS,
      reads: e.RATE_LIMIT_READS,
      membership: e.RATE_LIMIT_MEMBERSHIP,
      creates: e.RATE_LIMIT_CREATES,
      unauthenticated: e.RATE_LIMIT_UNAUTHENTICATED,
    },
    maxOpenSessionsPerHost: e.MAX_OPEN_SESSIONS_PER_HOST,
    socketCaps: { perUserSession: e.MAX_SOCKETS_PER_USER_SESSION, perUser: e.MAX_SOCKETS_PER_USER },
    inviteSecret: { value: e.INVITE_SECRET, file: e.INVITE_SECRET_FILE },
    hostGoneMs: e.HOST_GONE_MS,
    idleEndMs: e.IDLE_END_MS,
    drain: { delayMs: e.DRAIN_DELAY_MS, spreadMs: e.DRAIN_SPREAD_MS },
  }
}
