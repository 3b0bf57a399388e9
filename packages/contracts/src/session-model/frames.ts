import type { EventMessage, SessionEvent } from '../session.ts'

/** The `event` frame for one stored event, as every socket in the session receives it. */
export function encodeEventFrame(revision: number, event: SessionEvent): string {
  const frame: EventMessage = { type: 'event', revision, event }
  return JSON.stringify(frame)
}
