import type { ClientCommand, CommandMessage } from '@tandem/contracts'

export type CommandOutcome =
  | { ok: true; revision: number }
  | { ok: false; code: string; message: string }

interface Pending {
  message: CommandMessage
  createdAt: number
  resolve(outcome: CommandOutcome): void
}

/** Playback commands this old are not re-sent after a reconnect: the room has moved on. */
const PLAYBACK_TYPES = new Set<ClientCommand['type']>(['play', 'pause', 'seek', 'rate'])

/**
 * Commands sent and not yet answered. Each has a client-chosen id, so a command whose answer
 * was lost with a dropped socket is simply sent again after the reconnect: session-service
 * acknowledges a repeated id without applying it twice.
 */
export class CommandOutbox {
  readonly #pending = new Map<string, Pending>()

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
    /** ms after which an unanswered play/pause/seek/rate is dropped instead of re-sent */
    private readonly playbackStaleMs = 5000,
  ) {}

  get size(): number {
    return this.#pending.size
  }

  add(command: ClientCommand): { message: CommandMessage; outcome: Promise<CommandOutcome> } {
    const message: CommandMessage = { type: 'command', id: this.newId(), command }
    const outcome = new Promise<CommandOutcome>((resolve) => {
      this.#pending.set(message.id, { message, createdAt: this.now(), resolve })
    })
    return { message, outcome }
  }

  settle(id: string, outcome: CommandOutcome): void {
    const pending = this.#pending.get(id)
    if (!pending) return
    this.#pending.delete(id)
    pending.resolve(outcome)
  }

  /** What to send again on a new socket; stale playback commands are answered as such instead. */
  resend(): CommandMessage[] {
    const now = this.now()
    const out: CommandMessage[] = []
    for (const [id, p] of this.#pending) {
      if (PLAYBACK_TYPES.has(p.message.command.type) && now - p.createdAt > this.playbackStaleMs) {
        this.settle(id, { ok: false, code: 'stale', message: 'the connection dropped before this reached the room' })
      } else {
        out.push(p.message)
      }
    }
    return out
  }

  failAll(code: string, message: string): void {
    for (const id of [...this.#pending.keys()]) this.settle(id, { ok: false, code, message })
  }
}
