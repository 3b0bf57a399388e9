import type { ErrorMessage, HistoryMessage } from '@tandem/contracts'
import { SessionSocket } from '@tandem/service-kit/testing'

export interface JoinTiming {
  /** Socket creation → `welcome` received (TCP connect, upgrade, hello, token check, state). */
  welcomeMs: number
  /** Socket creation → the first `history` page received (asked for right after the welcome). */
  historyMs: number
}

const TIMEOUT_MS = 30_000

/** Opens a socket, says hello, asks for the latest history page as a client would, and times both answers. */
export async function timeJoin(url: string, token: string, historyLimit: number): Promise<JoinTiming> {
  const t0 = performance.now()
  const socket = await SessionSocket.open(url)
  try {
    await socket.hello(token, { timeoutMs: TIMEOUT_MS })
    const welcomeMs = performance.now() - t0
    socket.send({ type: 'history', limit: historyLimit })
    const answer = await socket.waitFor((m): m is HistoryMessage | ErrorMessage => m.type === 'history' || m.type === 'error', TIMEOUT_MS, 'a history page')
    const historyMs = performance.now() - t0
    if (answer.type === 'error') throw new Error(`history refused: ${answer.code} ${answer.message}`)
    if (answer.events.length === 0) throw new Error('empty history page')
    await socket.close()
    return { welcomeMs, historyMs }
  } finally {
    socket.ws.terminate()
  }
}
