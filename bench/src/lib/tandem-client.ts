import WebSocket from 'ws'
import type { CreateSessionResponse, ServerMessage, WelcomeMessage } from '@tandem/contracts'

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

export function createSession(httpUrl: string, token: string, title = 'Benchmark night'): Promise<CreateSessionResponse> {
  return api<CreateSessionResponse>('POST', `${httpUrl}/v1/sessions`, token, { title, videoUrl: 'https://videos.example/bench.mp4', controlMode: 'everyone' })
}

export function joinSession(httpUrl: string, token: string, sessionId: string): Promise<{ revision: number }> {
  return api('POST', `${httpUrl}/v1/sessions/${sessionId}/join`, token)
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => {
      ws.off('error', reject)
      resolve(ws)
    })
    ws.once('error', reject)
  })
}

/** Sends hello and resolves with the welcome; rejects on an error frame or a close. */
export function hello(ws: WebSocket, token: string, timeoutMs = 30_000): Promise<WelcomeMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no welcome in time')), timeoutMs)
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      if (message.type === 'welcome') done(null, message)
      else if (message.type === 'error') done(new Error(`hello refused: ${message.code} ${message.message}`))
    }
    const onClose = (code: number) => done(new Error(`socket closed (${code}) before welcome`))
    const done = (err: Error | null, welcome?: WelcomeMessage) => {
      clearTimeout(timer)
      ws.off('message', onMessage)
      ws.off('close', onClose)
      if (err) reject(err)
      else resolve(welcome!)
    }
    ws.on('message', onMessage)
    ws.on('close', onClose)
    ws.send(JSON.stringify({ type: 'hello', token }))
  })
}

/** Closes every socket and waits for the closing handshakes. */
export async function closeSockets(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve()
          ws.once('close', () => resolve())
          ws.close()
        }),
    ),
  )
}
