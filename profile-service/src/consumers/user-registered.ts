import type { FastifyBaseLogger } from 'fastify'
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats'
import type { NatsTopology, UserRegistered } from '@tandem/contracts'
import { ensureStream, type NatsClient } from '@tandem/service-kit'
import { defaultProfile } from '../profiles/default-profile.ts'
import type { ProfileStore } from '../profiles/profile-store.ts'

export const defaultDurableName = 'profile-service'
const retryDelayMs = 1000
/** A message whose write failed is offered again after this long (the store may be down). */
const redeliveryDelayMs = 2000
const nanos = (ms: number): number => ms * 1_000_000

export interface UserRegisteredConsumerOptions {
  nats: NatsClient
  topology: NatsTopology
  store: ProfileStore
  log: FastifyBaseLogger
  durableName?: string
  now?: () => Date
}

export interface RunningConsumer {
  stop(): Promise<void>
}

/** Reads a `user.registered` payload; null when it is not one (such a message is never retried). */
export function parseUserRegistered(data: Uint8Array): UserRegistered | null {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(data))
  } catch {
    return null
  }
  const e = value as Partial<UserRegistered> | null
  if (
    typeof e !== 'object' || e === null ||
    e.type !== 'user.registered' ||
    typeof e.userId !== 'string' || e.userId.length === 0 || e.userId.length > 128 ||
    typeof e.displayName !== 'string' ||
    typeof e.eventId !== 'string'
  ) {
    return null
  }
  return e as UserRegistered
}

/**
 * Creates the default profile of every registered user from the durable JetStream consumer
 * `profile-service` on the users stream. The write is insert-if-absent and the message is acked
 * only after it, so a redelivery or a duplicate event changes nothing, and a restart resumes at
 * the first unacknowledged event. NATS being down (also at start) only delays the work: every
 * failure is retried, and the stream and consumer are created by whichever side comes first.
 */
export function startUserRegisteredConsumer(options: UserRegisteredConsumerOptions): RunningConsumer {
  const { nats, topology, store, log } = options
  const durableName = options.durableName ?? defaultDurableName
  const now = options.now ?? (() => new Date())
  let stopping = false
  let messages: ConsumerMessages | undefined
  let wake: () => void = () => {}
  const stopped = new Promise<void>((resolve) => {
    wake = resolve
  })
  const pause = (ms: number) => Promise.race([stopped, new Promise((r) => setTimeout(r, ms).unref())])

  async function handle(m: JsMsg): Promise<void> {
    const event = parseUserRegistered(m.data)
    if (!event) {
      log.error({ seq: m.seq, subject: m.subject }, 'not a user.registered event; dropped')
      m.term()
      return
    }
    try {
      const created = await store.createIfAbsent(defaultProfile(event, now()))
      m.ack()
      log.info({ userId: event.userId, eventId: event.eventId, created }, 'user.registered handled')
    } catch (err) {
      log.warn({ err, userId: event.userId }, 'could not store the default profile; will be redelivered')
      m.nak(redeliveryDelayMs)
    }
  }

  async function prepare(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager()
    try {
      await jsm.streams.info(topology.usersStream)
    } catch (err) {
      if ((err as { code?: string }).code !== '404') throw err
      // Only create: updating would overwrite the subjects auth-service configured.
      await ensureStream(nc, topology.usersStream, [topology.userRegistered])
    }
    try {
      await jsm.consumers.info(topology.usersStream, durableName)
    } catch (err) {
      if ((err as { code?: string }).code !== '404') throw err
      await jsm.consumers.add(topology.usersStream, {
        durable_name: durableName,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: topology.userRegistered,
        ack_wait: nanos(30_000),
        max_deliver: -1,
      })
    }
  }

  async function run(): Promise<void> {
    const nc = await Promise.race([nats.connected, stopped])
    if (!nc) return
    while (!stopping) {
      try {
        await prepare(nc)
        const consumer = await nc.jetstream().consumers.get(topology.usersStream, durableName)
        messages = await consumer.consume({ max_messages: 64, abort_on_missing_resource: true })
        if (stopping) break
        for await (const m of messages) await handle(m)
      } catch (err) {
        if (!stopping) log.warn({ err }, 'user.registered consumer interrupted; retrying')
      }
      if (!stopping) await pause(retryDelayMs)
    }
  }

  const running = run().catch((err: unknown) => log.error({ err }, 'user.registered consumer stopped'))
  return {
    async stop() {
      stopping = true
      wake()
      await messages?.close()
      await running
    },
  }
}
