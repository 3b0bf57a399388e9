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

export interface AuthClient {
  register(request: RegisterRequest): Promise<SignedIn>
  login(request: LoginRequest): Promise<SignedIn>
  refresh(refreshToken: string): Promise<Tokens>
  logout(refreshToken: string): Promise<void>
  me(accessToken: string): Promise<AuthUser>
}

export function authClient(service: ServiceOptions): AuthClient {
  return {
    register: async (body) => (await requestJson<SignedIn>(service, 'POST', '/v1/register', { body })).body,
    login: async (body) => (await requestJson<SignedIn>(service, 'POST', '/v1/login', { body })).body,
    refresh: async (refreshToken) =>
      (await requestJson<Tokens>(service, 'POST', '/v1/refresh', { body: { refreshToken } })).body,
    logout: async (refreshToken) => {
      await requestJson<void>(service, 'POST', '/v1/logout', { body: { refreshToken } })
    },
    me: async (token) => (await requestJson<AuthUser>(service, 'GET', '/v1/me', { token })).body,
  }
}
