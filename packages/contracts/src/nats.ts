/**
 * NATS subjects and JetStream streams shared by the services.
 *
 * Every name can carry a namespace so that several independent Tandem deployments (or test
 * runs) can share one NATS server without seeing each other's messages. The default namespace
 * is empty, which gives the plain names that docs/architecture.md lists (`user.registered`,
 * `session.<id>.events`).
 */
export interface NatsTopology {
  namespace: string
  /** JetStream stream holding `user.*` domain events. */
  usersStream: string
  /** JetStream stream holding `profile.*` domain events. */
  profilesStream: string
  userRegistered: string
  profileUpdated: string
  /** Core NATS subject carrying the durable events of one session to every replica. */
  sessionEvents(sessionId: string): string
  /** Core NATS subject carrying ephemeral messages (scrub previews, presence) of one session. */
  sessionEphemeral(sessionId: string): string
  /**
   * Core NATS subject on which each session-service replica publishes its presence digest: the
   * sessions it has sockets in and their users (the lobby's "watching now" and idle end).
   */
  sessionPresence: string
}

export function natsTopology(namespace = ''): NatsTopology {
  if (namespace !== '' && !/^[A-Za-z0-9_-]+$/.test(namespace)) {
    throw new Error(`invalid NATS namespace "${namespace}": use letters, digits, _ and -`)
  }
  const subject = (s: string): string => (namespace ? `${namespace}.${s}` : s)
  const stream = (s: string): string => (namespace ? `${namespace.toUpperCase()}_${s}` : s)
  return {
    namespace,
    usersStream: stream('USERS'),
    profilesStream: stream('PROFILES'),
    userRegistered: subject('user.registered'),
    profileUpdated: subject('profile.updated'),
    sessionEvents: (id) => subject(`session.${id}.events`),
    sessionEphemeral: (id) => subject(`session.${id}.ephemeral`),
    sessionPresence: subject('session-presence'),
  }
}

/** Published by auth-service (through its outbox) when a user registers. */
export interface UserRegistered {
  type: 'user.registered'
  /** Unique per event; used as the JetStream `msgID`, so a relay retry is deduplicated. */
  eventId: string
  userId: string
  email: string
  displayName: string
  /** ms since epoch */
  at: number
}

/** Published by profile-service after each successful profile edit. */
export interface ProfileUpdated {
  type: 'profile.updated'
  eventId: string
  userId: string
  displayName: string
  avatarColor: string
  at: number
}
