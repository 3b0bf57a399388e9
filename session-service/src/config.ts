import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { loadConfig, type EnvSchema } from '@tandem/service-kit'

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
    // Names this process in logs and in messages to the other replicas; random when empty.
    REPLICA_ID: { type: 'string', pattern: '^[A-Za-z0-9_.-]*$', maxLength: 64, default: '' },
    SNAPSHOT_EVERY: { type: 'integer', minimum: 1, maximum: 100000, default: 100 },
    RESYNC_INTERVAL_MS: { type: 'integer', minimum: 100, default: 5000 },
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
  REPLICA_ID: string
  SNAPSHOT_EVERY: number
  RESYNC_INTERVAL_MS: number
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
  replicaId: string
  snapshotEvery: number
  resyncIntervalMs: number
}

/** Reads session-service's configuration from the environment; throws `ConfigError` naming a bad variable. */
export function loadSessionConfig(env: Record<string, string | undefined> = process.env): SessionConfig {
  const e = loadConfig<SessionEnv>(envSchema, env)
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
    replicaId: e.REPLICA_ID || `${hostname().replace(/[^A-Za-z0-9_.-]/g, '')}-${process.pid}-${randomBytes(3).toString('hex')}`,
    snapshotEvery: e.SNAPSHOT_EVERY,
    resyncIntervalMs: e.RESYNC_INTERVAL_MS,
  }
}
