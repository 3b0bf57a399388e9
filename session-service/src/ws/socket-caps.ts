import type { SocketCaps as SocketCapsConfig } from '../config.ts'
import { KeyCounts } from '../key-counts.ts'

/**
 * The open sockets of each user on this replica, in total and per session. A socket beyond
 * either cap is refused (close 4409), so one account cannot hold an unbounded share of a
 * replica's sockets or of a room's fan-out. Counted per replica: a user reaching several replicas
 * may hold the caps on each.
 */
export class SocketCaps {
  readonly #perUser = new KeyCounts()
  readonly #perUserSession = new KeyCounts()

  constructor(private readonly caps: SocketCapsConfig) {}

  /** A slot for one socket of `userId` in `sessionId`: the function that frees it, or null when a cap is reached. */
  take(userId: string, sessionId: string): (() => void) | null {
    const sessionKey = `${sessionId}/${userId}`
    if (this.#perUser.get(userId) >= this.caps.perUser) return null
    if (this.#perUserSession.get(sessionKey) >= this.caps.perUserSession) return null
    this.#perUser.add(userId, 1)
    this.#perUserSession.add(sessionKey, 1)
    let freed = false
    return () => {
      if (freed) return
      freed = true
      this.#perUser.add(userId, -1)
      this.#perUserSession.add(sessionKey, -1)
    }
  }
}
