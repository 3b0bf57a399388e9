/**
 * When to reconnect the session socket. Exponential backoff with jitter, so that a server
 * restart does not bring every viewer back in the same millisecond.
 */
export interface BackoffPolicy {
  /** delay before the first retry, ms */
  baseMs: number
  factor: number
  maxMs: number
  /** fraction of the delay that is randomised: 0.5 means a delay in [d/2, d] */
  jitter: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, maxMs: 15_000, jitter: 0.5 }

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry after a drop). `random` is
 * a number in [0, 1), passed in so the function stays pure.
 */
export function reconnectDelay(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt))
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** n)
  const r = Math.min(1, Math.max(0, random))
  return Math.round(ceiling * (1 - policy.jitter * r))
}

/** Close codes with a meaning for the client (see the session WebSocket protocol). */
export const CLOSE_NORMAL = 1000
export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_FORBIDDEN = 4403
export const CLOSE_NOT_FOUND = 4404

export type ReconnectPlan =
  | { action: 'retry'; delayMs: number }
  /** the token was refused or expired: get a fresh one, then retry */
  | { action: 'reauthenticate'; delayMs: number }
  | { action: 'stop'; reason: 'closed' | 'forbidden' | 'not-found' }

/** What to do after the socket closed with `code` on the `attempt`-th consecutive failure. */
export function reconnectPlan(
  code: number,
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): ReconnectPlan {
  switch (code) {
    case CLOSE_NORMAL:
      return { action: 'stop', reason: 'closed' }
    case CLOSE_FORBIDDEN:
      return { action: 'stop', reason: 'forbidden' }
    case CLOSE_NOT_FOUND:
      return { action: 'stop', reason: 'not-found' }
    case CLOSE_UNAUTHORIZED:
      // The first refusal is usually just an expired token: refresh at once.
      return { action: 'reauthenticate', delayMs: attempt === 0 ? 0 : reconnectDelay(attempt - 1, random, policy) }
    default:
      return { action: 'retry', delayMs: reconnectDelay(attempt, random, policy) }
  }
}
