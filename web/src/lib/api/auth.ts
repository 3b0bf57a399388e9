import { requestJson, type ServiceOptions } from './http.ts'

/** auth-service. Tokens come back in the body; the web server keeps them in cookies. */
export interface AuthUser {
  id: string
  email: string
  displayName: string
}

export interface Tokens {
  accessToken: string
  refreshToken: string
  /** seconds until the access token expires */
  expiresIn: number
}

export interface SignedIn extends Tokens {
  user: AuthUser
}

export interface RegisterRequest {
  email: string
  password: string
  displayName: string
}

export interface LoginRequest {
  email: string
  password: string
}

export const PASSWORD_LIMITS = { min: 8, max: 128 } as const

/**
 * The browser's address, sent as X-Forwarded-For: auth-service counts login and register
 * attempts per client and believes the header only from the web servers (its TRUSTED_PROXIES).
 */
export interface Client {
  address: string
}

export interface AuthClient {
  register(request: RegisterRequest, client: Client): Promise<SignedIn>
  login(request: LoginRequest, client: Client): Promise<SignedIn>
  refresh(refreshToken: string): Promise<Tokens>
  logout(refreshToken: string): Promise<void>
  me(accessToken: string): Promise<AuthUser>
}

export function authClient(service: ServiceOptions): AuthClient {
  return {
    register: async (body, client) =>
      (await requestJson<SignedIn>(service, 'POST', '/v1/register', { body, headers: forwardedFor(client) })).body,
    login: async (body, client) => (await requestJson<SignedIn>(service, 'POST', '/v1/login', { body, headers: forwardedFor(client) })).body,
    refresh: async (refreshToken) =>
      (await requestJson<Tokens>(service, 'POST', '/v1/refresh', { body: { refreshToken } })).body,
    logout: async (refreshToken) => {
      await requestJson<void>(service, 'POST', '/v1/logout', { body: { refreshToken } })
    },
    me: async (token) => (await requestJson<AuthUser>(service, 'GET', '/v1/me', { token })).body,
  }
}

function forwardedFor(client: Client): Record<string, string> {
  return { 'x-forwarded-for': client.address }
}
