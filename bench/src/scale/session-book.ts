import { randomUUID } from 'node:crypto'
import type { TestIssuer } from '@tandem/service-kit/testing'
import { forEachLimited } from '../lib/concurrency.ts'
import { createSession } from '../lib/tandem-client.ts'

/** A session of the benchmark: its host sends the commands and is one of its viewers. */
export interface BenchSession {
  id: string
  hostId: string
  viewers: number
}

export interface Layout {
  /** Sessions of `smallViewers` viewers each. */
  small: number
  smallViewers: number
  /** Viewers of the one large session (none when 0). */
  largeViewers: number
}

export const socketsOf = (layout: Layout): number => layout.small * layout.smallViewers + layout.largeViewers

/**
 * The benchmark's sessions, created over REST (through the balancer) the first time they are
 * needed and reused afterwards: a later configuration with fewer sessions watches the first ones.
 * Each session has its own host (one user may host only a few open sessions).
 */
export class SessionBook {
  #small: Array<{ id: string; hostId: string }> = []
  #large: { id: string; hostId: string } | undefined

  constructor(private readonly issuer: TestIssuer) {}

  async take(httpUrl: string, layout: Layout): Promise<BenchSession[]> {
    const create = async () => {
      const hostId = randomUUID()
      const session = await createSession(httpUrl, this.issuer.sign(hostId))
      return { id: session.id, hostId }
    }
    if (layout.largeViewers > 0) this.#large ??= await create()
    const missing = Math.max(0, layout.small - this.#small.length)
    if (missing > 0) this.#small.push(...(await forEachLimited(Array.from({ length: missing }), 8, 'sessions created', create)))
    const sessions = this.#small.slice(0, layout.small).map((s) => ({ ...s, viewers: layout.smallViewers }))
    if (this.#large && layout.largeViewers > 0) sessions.push({ ...this.#large, viewers: layout.largeViewers })
    return sessions
  }
}
