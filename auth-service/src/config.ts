import { loadConfig, parseTrustedProxies, type EnvSchema } from '@tandem/service-kit'
import { ACCESS_TOKEN_MAX_TTL_SECONDS } from '@tandem/contracts'

/** Environment of auth-service: names, types, defaults and bounds, validated at start. */
const envSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 4001 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://', default: 'postgres://postgres@127.0.0.1:5432/tandem_auth' },
    NATS_URL: { type: 'string', minLength: 1, default: 'nats://127.0.0.1:4222' },
    NATS_NAMESPACE: { type: 'string', pattern: '^[A-Za-z0-9_-]*$', default: '' },
    AUTH_ISSUER: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:4001' },
    AUTH_DATA_DIR: { type: 'string', minLength: 1, default: '.data/auth-service' },
    AUTH_PRIVATE_KEY_FILE: { type: 'string', default: '' },
    ACCESS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: ACCESS_TOKEN_MAX_TTL_SECONDS, default: 900 },
    REFRESH_TOKEN_TTL_DAYS: { type: 'number', exclusiveMinimum: 0, maximum: 365, default: 30 },
    // a sign-in ends this long after the password was given, however often it is refreshed
    SIGN_IN_MAX_AGE_DAYS: { type: 'number', exclusiveMinimum: 0, maximum: 365, default: 30 },
    // a rotated refresh token presented again this soon gives the same successor instead of revoking
    REFRESH_REUSE_WINDOW_SECONDS: { type: 'integer', minimum: 0, maximum: 300, default: 30 },
    // addresses/CIDRs (the web servers) whose X-Forwarded-For names the client; none by default
    TRUSTED_PROXIES: { type: 'string', default: '' },
    CORS_ORIGINS: { type: 'string', default: 'http://localhost:3000,http://127.0.0.1:3000' },
    // argon2id cost; the defaults are OWASP's recommendation (19 MiB, 2 passes, 1 lane)
    ARGON2_MEMORY_KIB: { type: 'integer', minimum: 1024, maximum: 4194304, default: 19456 },
    ARGON2_TIME_COST: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
    ARGON2_PARALLELISM: { type: 'integer', minimum: 1, maximum: 16, default: 1 },
    // login and register attempts allowed per window, counted per client IP and per e-mail address
    RATE_LIMIT_WINDOW_SECONDS: { type: 'integer', minimum: 1, default: 900 },
    RATE_LIMIT_PER_IP: { type: 'integer', minimum: 1, default: 100 },
    RATE_LIMIT_PER_ACCOUNT: { type: 'integer', minimum: 1, default: 10 },
    // failed logins in a row on one account (any address) before it is held, and the hold's growth
    LOGIN_BACKOFF_AFTER_FAILURES: { type: 'integer', minimum: 1, default: 10 },
    LOGIN_BACKOFF_BASE_SECONDS: { type: 'integer', minimum: 1, default: 1 },
    LOGIN_BACKOFF_MAX_SECONDS: { type: 'integer', minimum: 1, default: 60 },
    OUTBOX_POLL_INTERVAL_MS: { type: 'integer', minimum: 10, default: 1000 },
    OUTBOX_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const satisfies EnvSchema

interface AuthEnv {
  PORT: number
  HOST: string
  LOG_LEVEL: string
  DATABASE_URL: string
  NATS_URL: string
  NATS_NAMESPACE: string
  AUTH_ISSUER: string
  AUTH_DATA_DIR: string
  AUTH_PRIVATE_KEY_FILE: string
  ACCESS_TOKEN_TTL_SECONDS: number
  REFRESH_TOKEN_TTL_DAYS: number
  SIGN_IN_MAX_AGE_DAYS: number
  REFRESH_REUSE_WINDOW_SECONDS: number
  TRUSTED_PROXIES: string
  CORS_ORIGINS: string
  ARGON2_MEMORY_KIB: number
  ARGON2_TIME_COST: number
  ARGON2_PARALLELISM: number
  RATE_LIMIT_WINDOW_SECONDS: number
  RATE_LIMIT_PER_IP: number
  RATE_LIMIT_PER_ACCOUNT: number
  LOGIN_BACKOFF_AFTER_FAILURES: number
  LOGIN_BACKOFF_BASE_SECONDS: number
  LOGIN_BACKOFF_MAX_SECONDS: number
  OUTBOX_POLL_INTERVAL_MS: number
  OUTBOX_BATCH_SIZE: number
}

export interface PasswordHashingConfig {
  memoryCostKib: number
  timeCost: number
  parallelism: number
}

export interface RateLimitConfig {
  windowMs: number
  /** attempts per client address, any account */
  perIp: number
  /** attempts per (account, client address) */
  perAccount: number
  backoff: LoginBackoffConfig
}

/** The hold on an account after failed logins in a row; addresses that signed in to it before are not held. */
export interface LoginBackoffConfig {
  afterFailures: number
  baseSeconds: number
  maxSeconds: number
}

export interface AuthConfig {
  port: number
  host: string
  logLevel: string
  databaseUrl: string
  natsUrl: string
  natsNamespace: string
  /** `iss` of every access token, and the public base URL of this service. */
  issuer: string
  /** Where signing keys are generated on first start (unless `privateKeyFile` is set). */
  dataDir: string
  privateKeyFile: string | undefined
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  signInMaxAgeSeconds: number
  refreshReuseWindowSeconds: number
  corsOrigins: string[]
  /** addresses or CIDRs of the proxies (web servers) trusted to name the client in X-Forwarded-For */
  trustedProxies: string[]
  passwordHashing: PasswordHashingConfig
  rateLimit: RateLimitConfig
  outbox: { pollIntervalMs: number; batchSize: number }
}

/** Reads auth-service's configuration from the environment; throws `ConfigError` naming a bad variable. */
export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const e = loadConfig<AuthEnv>(envSchema, env)
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    natsNamespace: e.NATS_NAMESPACE,
    issuer: e.AUTH_ISSUER.replace(/\/+$/, ''),
    dataDir: e.AUTH_DATA_DIR,
    privateKeyFile: e.AUTH_PRIVATE_KEY_FILE || undefined,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: Math.round(e.REFRESH_TOKEN_TTL_DAYS * 86_400),
    signInMaxAgeSeconds: Math.round(e.SIGN_IN_MAX_AGE_DAYS * 86_400),
    refreshReuseWindowSeconds: e.REFRESH_REUSE_WINDOW_SECONDS,
    corsOrigins: list(e.CORS_ORIGINS),
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES),
    passwordHashing: {
      memoryCostKib: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
    },
    rateLimit: {
      windowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000,
      perIp: e.RATE_LIMIT_PER_IP,
      perAccount: e.RATE_LIMIT_PER_ACCOUNT,
      backoff: {
        afterFailures: e.LOGIN_BACKOFF_AFTER_FAILURES,
        baseSeconds: e.LOGIN_BACKOFF_BASE_SECONDS,
        maxSeconds: e.LOGIN_BACKOFF_MAX_SECONDS,
      },
    },
    outbox: { pollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS, batchSize: e.OUTBOX_BATCH_SIZE },
  }
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean)
}
