import { randomUUID } from 'node:crypto'
import type { NatsTopology, UserRegistered } from '@tandem/contracts'
import type { Queryable } from '../db/pool.ts'

/** Events auth-service publishes, by type. */
export interface OutboxEvents {
  'user.registered': UserRegistered
}
export type OutboxEventType = keyof OutboxEvents
export type OutboxEvent = OutboxEvents[OutboxEventType]

/** The JetStream subject each event type is published on. */
export function subjectFor(type: OutboxEventType, topology: NatsTopology): string {
  switch (type) {
    case 'user.registered':
      return topology.userRegistered
  }
}

export function userRegisteredEvent(user: { id: string; email: string; displayName: string }): UserRegistered {
  return {
    type: 'user.registered',
    eventId: randomUUID(),
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    at: Date.now(),
  }
}

/** Records an event for the relay; call it inside the transaction that makes the change. */
export async function enqueueEvent(db: Queryable, event: OutboxEvent): Promise<void> {
  await db.query('INSERT INTO outbox (id, event_type, payload) VALUES ($1, $2, $3)', [event.eventId, event.type, event])
}
