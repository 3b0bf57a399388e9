import WebSocket from 'ws'
import type { ServerMessage } from '@tandem/contracts'

export interface JoinTiming {
  /** Socket creation → `welcome` received (TCP connect, upgrade, hello, token check, state). */
  welcomeMs: number
  /** Socket creation → the first `history` page received (asked for right after the welcome). */
  historyMs: number
}

/** Opens a socket, says hello, asks for the latest history page as a client would, and times both answers. */
export function timeJoin(url: string, token: string, historyLimit: number): Promise<JoinTiming> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    let welcomeMs = 0
    const ws = new WebSocket(url)
    const timer = setTimeout(() => fail(new Error('join timed out')), 30_000)
    const fail = (err: Error) => {
      clearTimeout(timer)
      ws.terminate()
      reject(err)
    }
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token })))
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      if (message.type === 'welcome') {
        welcomeMs = performance.now() - t0
        ws.send(JSON.stringify({ type: 'history', limit: historyLimit }))
      } else if (message.type === 'history') {
        const historyMs = performance.now() - t0
        if (message.events.length === 0) return fail(new Error('empty history page'))
        clearTimeout(timer)
        ws.once('close', () => resolve({ welcomeMs, historyMs }))
        ws.close()
      } else if (message.type === 'error') {
        fail(new Error(`join refused: ${message.code} ${message.message}`))
      }
    })
    ws.on('error', fail)
  })
}
