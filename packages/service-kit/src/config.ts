import { isIP } from 'node:net'
import envSchema from 'env-schema'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface AjvError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

/** JSON schema of an environment: an object whose properties are variable names. */
export interface EnvSchema {
  type: 'object'
  required?: readonly string[]
  properties: Record<string, unknown>
}

/**
 * Reads and validates configuration from environment variables (strings are coerced to the
 * schema's types, defaults applied). A bad or missing variable fails fast with a message that
 * names it, e.g. `invalid configuration: PORT must be integer`.
 */
export function loadConfig<T>(schema: EnvSchema, env: Record<string, string | undefined> = process.env): T {
  try {
    return envSchema<T>({ schema: { ...schema, required: [...(schema.required ?? [])] }, data: env, dotenv: false })
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors
    if (!errors) throw err
    const problems = errors.map(describeProblem)
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
}

function describeProblem(e: AjvError): string {
  if (e.keyword === 'required') return `${String(e.params.missingProperty)} is required`
  const name = e.instancePath.replace(/^\//, '')
  if (e.keyword === 'enum') {
    return `${name} must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`
  }
  return `${name} ${e.message ?? 'is invalid'}`
}

/**
 * A list of proxies trusted to name the client in `X-Forwarded-For` (e.g. `TRUSTED_PROXIES`):
 * IP addresses or CIDR blocks, comma-separated; empty means none. Throws `ConfigError` naming
 * the variable and the bad entry.
 */
export function parseTrustedProxies(value: string, variable = 'TRUSTED_PROXIES'): string[] {
  const entries = value.split(',').map((item) => item.trim()).filter(Boolean)
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    const maxPrefix = family === 6 ? 128 : 32
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix)
    if (!family || !prefixOk || rest.length > 0) {
      throw new ConfigError(`${variable} must list IP addresses or CIDR blocks, got "${entry}"`)
    }
  }
  return entries
}
