/**
 * The events of a watch session. Their shape crosses the wire unchanged, so it lives in
 * `@tandem/contracts`; this module is the decider's view of them.
 */
export type {
  SessionEvent,
  SessionEventOf,
  SessionEventType,
  SessionEventDataMap,
  ControlMode,
} from '@tandem/contracts'
export { SESSION_EVENT_TYPES } from '@tandem/contracts'

import type { SessionEvent, SessionEventDataMap, SessionEventType } from '@tandem/contracts'

/** Builds an event; the decider gets `at` and `by` from the command, never from a clock. */
export function sessionEvent<K extends SessionEventType>(
  type: K,
  data: SessionEventDataMap[K],
  at: number,
  by: string,
): SessionEvent {
  return { type, data, at, by } as SessionEvent
}
