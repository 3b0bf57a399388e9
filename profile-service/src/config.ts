import { loadConfig, type EnvSchema } from '@tandem/service-kit'

export interface ProfileServiceConfig {
  PORT: number
  HOST: string
  /** `postgres://…/tandem_profile` (native mode) or `mongodb://…/profile` */
  PROFILE_STORE_URL: string
  NATS_URL: string
  /** Prefix of every NATS subject and stream; empty in a normal deployment. */
  NATS_NAMESPACE: string
  AUTH_JWKS_URL: string
  AUTH_ISSUER: string
  /** Comma-separated origins allowed by CORS (the web front end). */
  CORS_ORIGINS: string
  LOG_LEVEL: string
  /** How often edits whose `profile.updated` could not be published are retried. */
  PUBLISH_RETRY_INTERVAL_MS: number
}

export const configSchema: EnvSchema = {
  type: 'object',
  required: ['PROFILE_STORE_URL', 'AUTH_JWKS_URL', 'AUTH_ISSUER'],
  properties: {
    PORT: { type: 'integer', default: 4002, minimum: 0, maximum: 65535 },
    HOST: { type: 'string', default: '127.0.0.1' },
    PROFILE_STORE_URL: { type: 'string', pattern: '^(postgres|postgresql|mongodb|mongodb\\+srv)://' },
    NATS_URL: { type: 'string', default: 'nats://127.0.0.1:4222' },
    NATS_NAMESPACE: { type: 'string', default: '', pattern: '^[A-Za-z0-9_-]*$' },
    AUTH_JWKS_URL: { type: 'string', pattern: '^https?://' },
    AUTH_ISSUER: { type: 'string', minLength: 1 },
    CORS_ORIGINS: { type: 'string', default: '' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    PUBLISH_RETRY_INTERVAL_MS: { type: 'integer', default: 5000, minimum: 100 },
  },
}

export function loadProfileConfig(env: Record<string, string | undefined> = process.env): ProfileServiceConfig {
  return loadConfig<ProfileServiceConfig>(configSchema, env)
}

export function corsOrigins(config: Pick<ProfileServiceConfig, 'CORS_ORIGINS'>): string[] {
  return config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
}
