import type { FastifyBaseLogger } from 'fastify'
import { JSONCodec, type NatsConnection } from 'nats'
import type { NatsTopology, ProfileUpdated } from '@tandem/contracts'
import { ensureStream, type NatsClient } from '@tandem/service-kit'
import type { Profile } from '../profiles/profile.ts'
import type { ProfileStore } from '../profiles/profile-store.ts'

const codec = JSONCodec<ProfileUpdated>()
const publishTimeoutMs = 2000
const sweepBatch = 100

export interface ProfileUpdatedPublisherOptions {
  nats: NatsClient
  topology: NatsTopology
  store: ProfileStore
  log: FastifyBaseLogger
  /** How often profiles still marked unpublished are retried. */
  retryIntervalMs: number
}

/**
 * The event for one edit. Its id is derived from the profile version, so sending it twice (right
 * after the edit and again from a sweep) is deduplicated by JetStream through the `msgID`.
 */
export function profileUpdatedEvent(profile: Profile): ProfileUpdated {
  return {
    type: 'profile.updated',
    eventId: `profile-${profile.userId}-v${profile.version}`,
    userId: profile.userId,
    displayName: profile.displayName,
    avatarColor: profile.avatarColor,
    at: profile.updatedAt.getTime(),
  }
}

/**
 * Publishes `profile.updated` to JetStream after each edit. The edit itself marked the profile
 * unpublished in the store; the mark is cleared once JetStream acknowledges the event. If NATS
 * is down the edit still succeeds, and a periodic sweep sends what is still marked, so an outage
 * (or a crash between the edit and the publish) delays an event but never loses it.
 */
export class ProfileUpdatedPublisher {
  readonly #options: ProfileUpdatedPublisherOptions
  #streamReady: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #sweeping: Promise<void> | undefined

  constructor(options: ProfileUpdatedPublisherOptions) {
    this.#options = options
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#options.retryIntervalMs)
    this.#timer.unref()
    void this.#options.nats.connected.then(() => this.sweep(), () => {})
  }

  /** Tries to publish now; false when it could not (the sweep will retry). Never throws. */
  async publish(profile: Profile): Promise<boolean> {
    const nc = this.#options.nats.connection
    if (!nc || !this.#options.nats.isConnected()) return false
    try {
      await this.#send(nc, profile)
      return true
    } catch (err) {
      this.#options.log.warn({ err, userId: profile.userId }, 'profile.updated not published yet; will retry')
      return false
    }
  }

  /** Publishes every profile still marked unpublished; runs one sweep at a time. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = undefined
    })
    return this.#sweeping
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#sweeping
  }

  async #sweepOnce(): Promise<void> {
    const nc = this.#options.nats.connection
    if (!nc || !this.#options.nats.isConnected()) return
    try {
      for (;;) {
        const pending = await this.#options.store.listUnpublished(sweepBatch)
        for (const profile of pending) await this.#send(nc, profile)
        if (pending.length < sweepBatch) return
      }
    } catch (err) {
      this.#options.log.warn({ err }, 'profile.updated sweep stopped; will retry')
    }
  }

  async #send(nc: NatsConnection, profile: Profile): Promise<void> {
    const { topology, store } = this.#options
    this.#streamReady ??= ensureStream(nc, topology.profilesStream, [topology.profileUpdated]).then(
      () => undefined,
      (err: unknown) => {
        this.#streamReady = undefined
        throw err
      },
    )
    await this.#streamReady
    const event = profileUpdatedEvent(profile)
    try {
      await nc.jetstream().publish(topology.profileUpdated, codec.encode(event), { msgID: event.eventId, timeout: publishTimeoutMs })
    } catch (err) {
      // e.g. the stream was deleted meanwhile: make sure it exists before the next attempt
      this.#streamReady = undefined
      throw err
    }
    await store.markPublished(profile.userId, profile.version)
  }
}
