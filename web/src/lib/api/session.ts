import type {
  CreateSessionRequest,
  CreateSessionResponse,
  InviteResponse,
  LobbyQuery,
  LobbyResponse,
  MySessionsResponse,
  ResetInviteRequest,
  RevisionResponse,
  SessionResponse,
  UpdateSessionRequest,
} from '@tandem/contracts'
import { requestJson, type ServiceOptions } from './http.ts'

export type MySession = MySessionsResponse['sessions'][number]

/** session-service's REST side (docs/protocol.md); the live part is its WebSocket. */
export interface SessionClient {
  create(request: CreateSessionRequest, token: string): Promise<CreateSessionResponse>
  /** one page of the lobby: open public sessions as session-service orders them */
  list(query: LobbyQuery, token: string): Promise<LobbyResponse>
  /** the open sessions the caller is a member of, private ones included */
  mine(token: string): Promise<MySession[]>
  get(id: string, token: string): Promise<SessionResponse>
  /** host only: visibility and whether members may share the invite link */
  update(id: string, changes: UpdateSessionRequest, token: string): Promise<number>
  /** the current invite link, for whoever may share it */
  invite(id: string, token: string): Promise<InviteResponse>
  /** host only: revokes the current link and issues a new one */
  resetInvite(id: string, request: ResetInviteRequest, token: string): Promise<InviteResponse>
  /** `invite`: the token of the link that brought the caller (a private session needs it) */
  join(id: string, token: string, invite?: string): Promise<number>
  leave(id: string, token: string): Promise<number>
  end(id: string, token: string): Promise<number>
}

function lobbySearch(query: LobbyQuery): string {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.cursor) params.set('cursor', query.cursor)
  const search = params.toString()
  return search ? `?${search}` : ''
}

export function sessionClient(service: ServiceOptions): SessionClient {
  const path = (id: string, action = ''): string => `/v1/sessions/${encodeURIComponent(id)}${action}`
  const act = async (id: string, action: string, token: string, body?: unknown): Promise<number> =>
    (await requestJson<RevisionResponse>(service, 'POST', path(id, `/${action}`), { token, body })).body.revision
  return {
    create: async (body, token) =>
      (await requestJson<CreateSessionResponse>(service, 'POST', '/v1/sessions', { body, token })).body,
    list: async (query, token) => (await requestJson<LobbyResponse>(service, 'GET', `/v1/sessions${lobbySearch(query)}`, { token })).body,
    mine: async (token) => (await requestJson<MySessionsResponse>(service, 'GET', '/v1/sessions/mine', { token })).body.sessions,
    get: async (id, token) => (await requestJson<SessionResponse>(service, 'GET', path(id), { token })).body,
    update: async (id, body, token) => (await requestJson<RevisionResponse>(service, 'PATCH', path(id), { body, token })).body.revision,
    invite: async (id, token) => (await requestJson<InviteResponse>(service, 'GET', path(id, '/invite'), { token })).body,
    resetInvite: async (id, body, token) => (await requestJson<InviteResponse>(service, 'POST', path(id, '/invite'), { body, token })).body,
    // always a JSON body: the route reads one (JoinSessionRequest), empty without an invite
    join: (id, token, invite) => act(id, 'join', token, invite === undefined ? {} : { invite }),
    leave: (id, token) => act(id, 'leave', token),
    end: (id, token) => act(id, 'end', token),
  }
}
