/** Where the web server finds the services; read from the environment once, at start. */
export interface WebConfig {
  /** auth-service as the web server reaches it */
  authUrl: string
  profileUrl: string
  sessionUrl: string
  /** session-service as browsers reach it (its WebSocket) */
  publicSessionUrl: string
  /** `iss` of access tokens; defaults to authUrl (auth-service's AUTH_ISSUER) */
  authIssuer: string
}

const DEFAULTS = {
  AUTH_URL: 'http://127.0.0.1:4001',
  PROFILE_URL: 'http://127.0.0.1:4002',
  SESSION_URL: 'http://127.0.0.1:4003',
} as const

function httpUrl(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, got "${value}"`)
  return value.replace(/\/+$/, '')
}

export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const pick = (name: keyof typeof DEFAULTS): string => httpUrl(name, env[name] || DEFAULTS[name])
  const authUrl = pick('AUTH_URL')
  const sessionUrl = pick('SESSION_URL')
  return {
    authUrl,
    profileUrl: pick('PROFILE_URL'),
    sessionUrl,
    publicSessionUrl: httpUrl('PUBLIC_SESSION_URL', env.PUBLIC_SESSION_URL || sessionUrl),
    authIssuer: httpUrl('AUTH_ISSUER', env.AUTH_ISSUER || authUrl),
  }
}
