import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { RejectCode } from '@tandem/contracts'
import type { HubNatsStats, SessionHub } from '../live/session-hub.ts'

/** How a command sent over a socket was answered: `acked`, or the code it was rejected with. */
export type CommandOutcomeLabel = 'acked' | RejectCode

/** What one socket reports about its life and its commands. */
export interface SocketMetrics {
  commandAnswered(outcome: CommandOutcomeLabel): void
  /**
   * Starts timing a command as it is read from the socket; the function it returns is called once
   * the command's events have been handed to this replica's sockets.
   */
  timeFanOut(): () => void
  /** A socket is closed as a slow consumer (4408). */
  slowConsumerClosed(): void
}

export interface SessionMetricSources {
  /** Sockets open on this replica, whatever their phase. */
  openSockets(): number
}

/** Latencies of a few milliseconds (a PostgreSQL round trip) up to seconds (a store under load). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * session-service's own metrics, in the app's registry (`app.metrics.registry`, which `/metrics`
 * serves). Gauges are read when scraped; counters and histograms are fed by the sockets
 * (`SocketMetrics`) and the repository (`observeAppend`). docs/operations.md lists them.
 */
export class SessionMetrics implements SocketMetrics {
  readonly #commands: Counter<'outcome'>
  readonly #fanOut: Histogram
  readonly #append: Histogram
  readonly #slowConsumers: Counter

  constructor(
    readonly registry: Registry,
    sources: SessionMetricSources,
  ) {
    const registers = [registry]
    new Gauge({
      name: 'tandem_sockets_open',
      help: 'session sockets open on this replica, from the upgrade to the close',
      registers,
      collect() {
        this.set(sources.openSockets())
      },
    })
    this.#commands = new Counter({
      name: 'tandem_commands_total',
      help: 'commands received over session sockets, by how they were answered: acked, or the reject code',
      labelNames: ['outcome'],
      registers,
    })
    this.#fanOut = new Histogram({
      name: 'tandem_command_fanout_duration_seconds',
      help: "time from reading a command off its socket to handing its events to this replica's sockets",
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#append = new Histogram({
      name: 'tandem_event_append_duration_seconds',
      help: 'time of one append of events to the event store (including appends refused because the stream moved on)',
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#slowConsumers = new Counter({
      name: 'tandem_slow_consumer_closes_total',
      help: 'sockets closed as slow consumers (4408): they read too little of what was sent to them',
      registers,
    })
  }

  commandAnswered(outcome: CommandOutcomeLabel): void {
    this.#commands.inc({ outcome })
  }

  timeFanOut(): () => void {
    const stop = this.#fanOut.startTimer()
    return () => void stop()
  }

  slowConsumerClosed(): void {
    this.#slowConsumers.inc()
  }

  observeAppend(seconds: number): void {
    this.#append.observe(seconds)
  }

  /**
   * What the hub knows, read when scraped: the sessions with sockets here, and its NATS
   * subscriptions and the messages they brought (what shows that a replica hears only the
   * sessions it serves).
   */
  watchHub(hub: Pick<SessionHub, 'natsStats' | 'sessionsWithSockets'>): void {
    const registers = [this.registry]
    new Gauge({
      name: 'tandem_sessions_with_local_sockets',
      help: 'sessions with at least one socket joined on this replica',
      registers,
      collect() {
        this.set(hub.sessionsWithSockets())
      },
    })
    new Gauge({
      name: 'tandem_sessions_subscribed',
      help: "sessions whose NATS subjects this replica is subscribed to (loaded here, or lingering after their last socket)",
      registers,
      collect() {
        this.set(hub.natsStats().subscribedSessions)
      },
    })
    const counted: HubNatsStats['messagesReceived'] = { events: 0, ephemeral: 0, presence: 0 }
    new Counter({
      name: 'tandem_nats_messages_received_total',
      help: "NATS messages received, by kind: a session's events, a session's ephemeral messages, presence digests",
      labelNames: ['kind'],
      registers,
      collect() {
        const now = hub.natsStats().messagesReceived
        for (const kind of ['events', 'ephemeral', 'presence'] as const) {
          this.inc({ kind }, now[kind] - counted[kind])
          counted[kind] = now[kind]
        }
      },
    })
  }
}
