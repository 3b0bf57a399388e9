import type { SocketCaps as SocketCapsConfig } from '../config.ts'

/**
 * The open sockets of each user on this replica, in total and per session. A socket beyond
 * either cap is refused (close 4409), so one account cannot hold an unbounded share of a
 * replica's sockets or of a room's fan-out. Counted per replica: a user reaching several replicas
 * may hold the caps on each.
 */
export class SocketCaps {
  readonly #perUser = new Map<string, number>()
  readonly #perUserSession = new Map<string, number>()

  constructor(private readonly caps: SocketCapsConfig) {}

  /** A slot for one socket of `userId` in `sessionId`: the function that frees it, or null when a cap is reached. */
  take(userId: string, sessionId: string): (() => void) | null {
    const sessionKey = `${sessionId}/${userId}`
    if ((this.#perUser.get(userId) ?? 0) >= this.caps.perUser) return null
    if ((this.#perUserSession.get(sessionKey) ?? 0) >= this.caps.perUserSession) return null
    add(this.#perUser, userId, 1)
    add(this.#perUserSession, sessionKey, 1)
    let freed = false
    return () => {
      if (freed) return
      freed = true
      add(this.#perUser, userId, -1)
      add(this.#perUserSession, sessionKey, -1)
    }
  }
}

function add(counts: Map<string, number>, key: string, change: number): void {
  const count = (counts.get(key) ?? 0) + change
  if (count > 0) counts.set(key, count)
  else counts.delete(key)
}
