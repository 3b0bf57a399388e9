import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { freePort } from '@tandem/service-kit/testing'
import { startChild, type Child } from '../lib/child-process.ts'

export const SYNCPLAY_SERVER = process.env.SYNCPLAY_SERVER ?? '/usr/bin/syncplay-server'

export interface SyncplayServer {
  port: number
  child: Child
  stop(): Promise<void>
}

/** Why Syncplay's server cannot run here, or null when it can (Debian: `apt-get install syncplay-server`). */
export function syncplayUnavailable(): string | null {
  return existsSync(SYNCPLAY_SERVER) ? null : `${SYNCPLAY_SERVER} not found (Debian: apt-get install -y syncplay-server)`
}

/**
 * Syncplay's own server (Python/Twisted, keeps rooms in memory, stores nothing), as shipped by
 * Debian, on a free port.
 */
export async function startSyncplayServer(): Promise<SyncplayServer> {
  const port = await freePort()
  const child = startChild(SYNCPLAY_SERVER, ['--port', String(port)], { env: { ...process.env, PYTHONUNBUFFERED: '1' } })
  await waitForPort(port, child)
  return { port, child, stop: () => child.stop() }
}

async function waitForPort(port: number, child: Child): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  await child.stop()
  throw new Error(`syncplay-server is not accepting connections on ${port}:\n${child.output()}`)
}
