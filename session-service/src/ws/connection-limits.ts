import { SESSION_LIMITS } from '@tandem/contracts'

export interface ConnectionLimits {
  helloTimeoutMs: number
  maxFrameBytes: number
  /** Commands: burst and sustained rate per socket. */
  commandBurst: number
  commandsPerSecond: number
  /** Other messages (ping, history, report, scrub). */
  messageBurst: number
  messagesPerSecond: number
  /** History pages, which read the store, have a tighter budget of their own. */
  historyBurst: number
  historyPerSecond: number
  /** Rate-limited frames tolerated within `strikeWindowMs` before the socket is closed. */
  rateStrikes: number
  /** Malformed frames tolerated within `strikeWindowMs` before the socket is closed. */
  badFrameStrikes: number
  strikeWindowMs: number
  /** At most one scrub preview per this interval leaves a socket. */
  scrubIntervalMs: number
  /** A socket whose unsent bytes exceed this is closed as a slow consumer. */
  maxBufferedBytes: number
  /** Ephemeral frames are dropped (not queued) for a socket with more unsent bytes than this. */
  ephemeralBufferedBytes: number
  /** Frames held for one socket while its `since` replay is read. */
  maxHeldEvents: number
}

export const defaultConnectionLimits: ConnectionLimits = {
  helloTimeoutMs: SESSION_LIMITS.helloTimeoutMs,
  maxFrameBytes: SESSION_LIMITS.maxFrameBytes,
  commandBurst: 30,
  commandsPerSecond: 15,
  messageBurst: 120,
  messagesPerSecond: 60,
  historyBurst: 60,
  historyPerSecond: 20,
  rateStrikes: 100,
  badFrameStrikes: 20,
  strikeWindowMs: 10_000,
  scrubIntervalMs: 100,
  maxBufferedBytes: 1024 * 1024,
  ephemeralBufferedBytes: 128 * 1024,
  maxHeldEvents: 10_000,
}
