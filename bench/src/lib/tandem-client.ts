import type { CreateSessionResponse } from '@tandem/contracts'

/** A REST call to session-service with a bearer token; throws on any non-2xx answer. */
export async function api<T>(method: 'GET' | 'POST', url: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

/** A public session anyone may join without an invite, and every member may control. */
export function createSession(httpUrl: string, token: string, title = 'Benchmark night'): Promise<CreateSessionResponse> {
  return api<CreateSessionResponse>('POST', `${httpUrl}/v1/sessions`, token, {
    title,
    videoUrl: 'https://videos.example/bench.mp4',
    controlMode: 'everyone',
    visibility: 'public',
  })
}

export function joinSession(httpUrl: string, token: string, sessionId: string): Promise<{ revision: number }> {
  return api('POST', `${httpUrl}/v1/sessions/${sessionId}/join`, token)
}
