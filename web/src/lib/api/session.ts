import type {
  CreateSessionRequest,
  CreateSessionResponse,
  LobbyResponse,
  LobbySession,
  RevisionResponse,
  SessionResponse,
} from '@tandem/contracts'
import { requestJson, type ServiceOptions } from './http.ts'

/** session-service's REST side (docs/protocol.md); the live part is its WebSocket. */
export interface SessionClient {
  create(request: CreateSessionRequest, token: string): Promise<CreateSessionResponse>
  list(token: string): Promise<LobbySession[]>
  get(id: string, token: string): Promise<SessionResponse>
  join(id: string, token: string): Promise<number>
  leave(id: string, token: string): Promise<number>
  end(id: string, token: string): Promise<number>
}

export function sessionClient(service: ServiceOptions): SessionClient {
  const path = (id: string, action = ''): string => `/v1/sessions/${encodeURIComponent(id)}${action}`
  const act = async (id: string, action: string, token: string): Promise<number> =>
    (await requestJson<RevisionResponse>(service, 'POST', path(id, `/${action}`), { token })).body.revision
  return {
    create: async (body, token) =>
      (await requestJson<CreateSessionResponse>(service, 'POST', '/v1/sessions', { body, token })).body,
    list: async (token) => (await requestJson<LobbyResponse>(service, 'GET', '/v1/sessions', { token })).body.sessions,
    get: async (id, token) => (await requestJson<SessionResponse>(service, 'GET', path(id), { token })).body,
    join: (id, token) => act(id, 'join', token),
    leave: (id, token) => act(id, 'leave', token),
    end: (id, token) => act(id, 'end', token),
  }
}
