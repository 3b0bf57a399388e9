import { SESSION_SOCKET_CLOSE } from '@tandem/contracts'

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

/** The page closes its own socket with this when it goes away. */
export const CLOSE_NORMAL = 1000

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, maxMs: 15_000, jitter: 0.5 }

/**
 * Longest wait before reconnecting after a draining replica's 4503. The replica already spreads
 * its closes over a few seconds; this only keeps sockets closed in the same instant apart.
 */
export const HANDOVER_JITTER_MS = 250

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

export type ReconnectPlan =
  | { action: 'retry'; delayMs: number }
  /**
   * the replica is draining and handed the socket over: reconnect at once (through the balancer,
   * to another replica) with `since`; not a failure, so the backoff starts over
   */
  | { action: 'handover'; delayMs: number }
  /** the token was refused or expired: get a fresh one, then retry */
  | { action: 'reauthenticate'; delayMs: number }
  | { action: 'stop'; reason: 'closed' | 'not-found' }

/**
 * What to do after the socket closed with `code` on the `attempt`-th consecutive failure. A
 * draining replica's 4503 is a hand-over, not a failure: reconnect at once. Every
 * other close (a dropped network 1006, the server going away, too much bad input, a flood after
 * rate limiting, a client reading too slowly, the user's other sockets holding every slot) is
 * retried with `since`, after the backoff.
 */
export function reconnectPlan(
  code: number,
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): ReconnectPlan {
  switch (code) {
    case CLOSE_NORMAL:
      return { action: 'stop', reason: 'closed' }
    case SESSION_SOCKET_CLOSE.sessionNotFound:
      return { action: 'stop', reason: 'not-found' }
    case SESSION_SOCKET_CLOSE.draining:
      return { action: 'handover', delayMs: Math.round(Math.min(1, Math.max(0, random)) * HANDOVER_JITTER_MS) }
    case SESSION_SOCKET_CLOSE.unauthenticated:
      // The first refusal is usually just an expired token: refresh at once.
      return { action: 'reauthenticate', delayMs: attempt === 0 ? 0 : reconnectDelay(attempt - 1, random, policy) }
    default:
      return { action: 'retry', delayMs: reconnectDelay(attempt, random, policy) }
  }
}
