import type {
  ClientCommand,
  ClientMessage,
  ErrorMessage,
  HistoryMessage,
  PresenceMessage,
  RevisionedSessionEvent,
  ScrubPreviewMessage,
  ServerMessage,
  WelcomeMessage,
} from '@tandem/contracts'
import { CLOSE_NORMAL, reconnectPlan } from './backoff.ts'
import { CommandOutbox, type CommandOutcome } from './command-outbox.ts'
import { Heartbeat, type ClockSync } from './heartbeat.ts'
import { HistoryRequests } from './history-requests.ts'
import { RevisionTracker } from './revision-tracker.ts'
import type { Timers } from './timers.ts'
import { SignedOutError, type TokenSource } from './token-source.ts'

/** The part of a browser WebSocket the client uses. */
export interface SocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: Event) => void) | null
  onmessage: ((event: MessageEvent) => void) | null
  onclose: ((event: CloseEvent) => void) | null
  onerror: ((event: Event) => void) | null
}

export type StopReason = 'closed' | 'not-found' | 'signed-out'

export type ConnectionStatus =
  | { phase: 'connecting' }
  | { phase: 'open' }
  /** the socket dropped (or could not be opened); the next attempt is in `delayMs` */
  | { phase: 'retrying'; delayMs: number; failures: number }
  | { phase: 'stopped'; reason: StopReason }

export interface ConnectionListener {
  /** `resumed`: the hello carried `since`, and the missed events follow */
  welcome(message: WelcomeMessage, resumed: boolean): void
  /** in revision order; `apply` is false for events already part of the welcome's state */
  event(event: RevisionedSessionEvent, apply: boolean): void
  scrub(message: ScrubPreviewMessage): void
  presence(message: PresenceMessage): void
  error(message: ErrorMessage): void
  status(status: ConnectionStatus): void
}

export interface ConnectionOptions {
  /** ws(s)://…/v1/sessions/<id>/ws */
  url: string
  token: TokenSource
  clock: ClockSync
  listener: ConnectionListener
  createSocket(url: string): SocketLike
  timers: Timers
  /** local ms, for command ages */
  now(): number
  random(): number
  newId(): string
  /** a socket that answers nothing for this long after a ping is given up (ms) */
  silenceTimeoutMs?: number
}

/** Close code the client uses when it drops a socket on purpose to read a gap from the store. */
const CLOSE_RESYNC = 4000

/**
 * The session socket of a watch page: `hello` with a short-lived token (and `since` on every
 * reconnect, so nothing is missed and the video resumes at the shared position), events applied
 * strictly by revision, a gap answered by reconnecting with `since` (the server then reads the
 * missing events from the store), pings feeding the clock estimator, reconnects with backoff,
 * and commands re-sent with their ids until answered.
 */
export class LiveConnection {
  readonly #o: ConnectionOptions & { silenceTimeoutMs: number }
  readonly #tracker = new RevisionTracker()
  readonly #outbox: CommandOutbox
  #socket: SocketLike | undefined
  #open = false
  #stopped = false
  #connectedOnce = false
  #failures = 0
  #sentSince: number | undefined
  #retryTimer: unknown
  readonly #heartbeat: Heartbeat
  readonly #history = new HistoryRequests()

  constructor(options: ConnectionOptions) {
    this.#o = { silenceTimeoutMs: 10_000, ...options }
    this.#outbox = new CommandOutbox(options.newId, options.now)
    this.#heartbeat = new Heartbeat({
      clock: options.clock,
      timers: options.timers,
      silenceTimeoutMs: this.#o.silenceTimeoutMs,
      send: (ping) => this.#send(ping),
      silent: () => this.#silent(),
    })
  }

  get isOpen(): boolean {
    return this.#open
  }

  /** The last revision processed without a gap (what a reconnect sends as `since`). */
  get revision(): number | undefined {
    return this.#tracker.since
  }

  start(): void {
    if (this.#socket || this.#stopped) return
    void this.#connect(false)
  }

  /** The page is going away: close for good. */
  stop(): void {
    this.#halt('closed')
    this.#socket?.close(CLOSE_NORMAL, 'page closed')
    this.#socket = undefined
  }

  /** The network is back: skip the rest of the backoff. */
  retryNow(): void {
    if (this.#stopped || this.#socket || this.#retryTimer === undefined) return
    this.#o.timers.clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
    void this.#connect(false)
  }

  /** Sends a command now or after the next welcome; resolves with its ack or reject. */
  command(command: ClientCommand): Promise<CommandOutcome> {
    if (this.#stopped) return Promise.resolve({ ok: false, code: 'closed', message: 'not connected to the session' })
    const { message, outcome } = this.#outbox.add(command)
    if (this.#open) this.#send(message)
    return outcome
  }

  /** One page of history before `before` (newest first); sent again after a reconnect if need be. */
  history(before: number | undefined, limit: number): Promise<HistoryMessage> {
    const { page, first } = this.#history.ask(before, limit)
    if (this.#open && first) this.#send(first)
    return page
  }

  /** A preview of a drag on the timeline; dropped while not connected (it is only a preview). */
  scrub(position: number): void {
    if (this.#open) this.#send({ type: 'scrub', position })
  }

  report(position: number, buffering: boolean): void {
    if (this.#open) this.#send({ type: 'report', position, buffering })
  }

  async #connect(freshToken: boolean): Promise<void> {
    this.#retryTimer = undefined
    this.#o.listener.status({ phase: 'connecting' })
    let token: string
    try {
      token = await this.#o.token(freshToken)
    } catch (error) {
      if (this.#stopped) return
      if (error instanceof SignedOutError) return this.#halt('signed-out')
      return this.#closed(1006)
    }
    if (this.#stopped) return
    const socket = this.#o.createSocket(this.#o.url)
    this.#socket = socket
    // A replaced socket may still report; only the current one counts.
    const mine =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        if (this.#socket === socket) fn(...args)
      }
    socket.onopen = mine(() => {
      this.#sentSince = this.#tracker.since
      this.#send(this.#sentSince === undefined ? { type: 'hello', token } : { type: 'hello', token, since: this.#sentSince })
    })
    socket.onmessage = mine((event: MessageEvent) => this.#onFrame(event.data))
    socket.onclose = mine((event: CloseEvent) => this.#closed(event.code))
    socket.onerror = () => {}
  }

  #onFrame(data: unknown): void {
    if (typeof data !== 'string') return
    let message: ServerMessage
    try {
      message = JSON.parse(data) as ServerMessage
    } catch {
      return
    }
    this.#heartbeat.heard()
    const listener = this.#o.listener
    switch (message.type) {
      case 'welcome':
        return this.#welcome(message)
      case 'event': {
        const verdict = this.#tracker.event(message.revision)
        if (verdict === 'gap') return this.#resync()
        if (verdict !== 'duplicate') listener.event({ revision: message.revision, event: message.event }, verdict === 'apply')
        return
      }
      case 'ack':
        return this.#outbox.settle(message.id, { ok: true, revision: message.revision })
      case 'reject':
        return this.#outbox.settle(message.id, { ok: false, code: message.code, message: message.message })
      case 'pong':
        this.#o.clock.onPong(message)
        return
      case 'history': {
        const next = this.#history.answered(message)
        if (next) this.#send(next)
        return
      }
      case 'scrub':
        return listener.scrub(message)
      case 'presence':
        return listener.presence(message)
      case 'error':
        return listener.error(message)
    }
  }

  #welcome(message: WelcomeMessage): void {
    this.#tracker.welcome(message.revision, this.#sentSince)
    this.#open = true
    this.#failures = 0
    if (this.#connectedOnce) this.#o.clock.onReconnect()
    this.#connectedOnce = true
    this.#o.listener.welcome(message, this.#sentSince !== undefined)
    this.#o.listener.status({ phase: 'open' })
    for (const command of this.#outbox.resend()) this.#send(command)
    const waiting = this.#history.waiting
    if (waiting) this.#send(waiting)
    this.#heartbeat.start()
  }

  /** No answer to a ping for a long while: the connection is dead even if no close came. */
  #silent(): void {
    const socket = this.#socket
    this.#socket = undefined
    socket?.close(4001, 'no answer')
    this.#closed(1006)
  }

  /** Events are missing: open a new socket with `since`, at once (this is not a failure). */
  #resync(): void {
    const socket = this.#socket
    this.#socket = undefined
    this.#goneQuiet()
    socket?.close(CLOSE_RESYNC, 'resync')
    void this.#connect(false)
  }

  #closed(code: number): void {
    this.#socket = undefined
    this.#goneQuiet()
    if (this.#stopped) return
    const plan = reconnectPlan(code, this.#failures, this.#o.random())
    this.#failures = plan.action === 'handover' ? 0 : this.#failures + 1
    if (plan.action === 'stop') return this.#halt(plan.reason)
    this.#o.listener.status({ phase: 'retrying', delayMs: plan.delayMs, failures: this.#failures })
    const fresh = plan.action === 'reauthenticate'
    this.#retryTimer = this.#o.timers.setTimeout(() => void this.#connect(fresh), plan.delayMs)
  }

  #goneQuiet(): void {
    this.#open = false
    this.#heartbeat.stop()
  }

  #halt(reason: StopReason): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#goneQuiet()
    if (this.#retryTimer !== undefined) this.#o.timers.clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
    this.#outbox.failAll('closed', 'not connected to the session')
    this.#o.listener.status({ phase: 'stopped', reason })
  }

  #send(message: ClientMessage): void {
    this.#socket?.send(JSON.stringify(message))
  }
}
