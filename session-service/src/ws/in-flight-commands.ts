import type { CommandMessage, ServerMessage } from '@tandem/contracts'
import type { LiveSession } from '../live/live-session.ts'
import type { SocketOutput } from './socket-output.ts'
import type { SocketMetrics } from '../metrics/session-metrics.ts'

export interface InFlightCommandsOptions {
  out: SocketOutput
  /** Sends an answer in event order, so an ack never overtakes the event it answers. */
  deliver(frame: string): void
  now(): number
  onError(err: unknown): void
  metrics: Pick<SocketMetrics, 'commandAnswered' | 'timeFanOut'>
}

/**
 * The commands one socket sent and that are not answered yet. Each goes into the session's
 * line and is answered once it is decided (and its events stored): ack or reject by its id.
 */
export class InFlightCommands {
  readonly #running = new Set<Promise<void>>()

  constructor(private readonly options: InFlightCommandsOptions) {}

  run(live: LiveSession, userId: string, message: CommandMessage): void {
    const { metrics } = this.options
    const fannedOut = metrics.timeFanOut()
    const running = live
      .execute({ id: message.id, userId, at: this.options.now(), command: message.command })
      .then((outcome) => {
        // The events were handed to this replica's sockets as they were applied, just before
        // `execute` resolved. A command acknowledged again (a retry) has no events to time.
        if (outcome.kind === 'ack' && outcome.events.length > 0) fannedOut()
        metrics.commandAnswered(outcome.kind === 'ack' ? 'acked' : outcome.code)
        const answer: ServerMessage =
          outcome.kind === 'ack'
            ? { type: 'ack', id: message.id, revision: outcome.revision }
            : { type: 'reject', id: message.id, code: outcome.code, message: outcome.message }
        this.options.deliver(JSON.stringify(answer))
      })
      .catch((err: unknown) => {
        this.options.onError(err)
        metrics.commandAnswered('unavailable')
        this.options.out.send({ type: 'reject', id: message.id, code: 'unavailable', message: 'the command could not be stored; retry it with the same id' })
      })
      .finally(() => this.#running.delete(running))
    this.#running.add(running)
  }

  /** Resolves once every command taken so far has been answered (or has failed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#running])
  }
}
