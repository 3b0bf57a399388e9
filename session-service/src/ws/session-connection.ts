import { randomUUID } from 'node:crypto'
import type { WebSocket, RawData } from 'ws'
import type { FastifyBaseLogger } from 'fastify'
import type { TokenVerifier } from '@tandem/service-kit'
import { MEDIA_LIMITS, SESSION_SOCKET_CLOSE, controlRefusal, maySee, type AccessTokenClaims, type ClientMessage, type HelloMessage } from '@tandem/contracts'
import type { SessionHub, RoomLease } from '../live/session-hub.ts'
import type { RoomConnection } from '../live/session-room.ts'
import type { SessionRepository } from '../stream/session-repository.ts'
import { CONTROL_REFUSAL_MESSAGES } from '../domain/decide.ts'
import { toView, type SessionState } from '../domain/state.ts'
import { parseClientFrame } from './client-frames.ts'
import type { ConnectionLimits } from './connection-limits.ts'
import { EventFeed } from './event-feed.ts'
import { FrameBudget } from './frame-budget.ts'
import { TrailingThrottle } from './flow-control.ts'
import { Handshake } from './handshake.ts'
import { HistoryPager } from './history-pager.ts'
import { InFlightCommands } from './in-flight-commands.ts'
import { SocketOutput } from './socket-output.ts'
import type { SocketCaps } from './socket-caps.ts'
import type { SocketMetrics } from '../metrics/session-metrics.ts'

export interface ConnectionDeps {
  hub: SessionHub
  repository: SessionRepository
  verifier: TokenVerifier
  log: FastifyBaseLogger
  limits: ConnectionLimits
  socketCaps: SocketCaps
  metrics: SocketMetrics
  now(): number
}

/** `closing`: no more frames are read; commands in flight still get their ack, then the socket closes. */
type Phase = 'awaiting_hello' | 'joining' | 'open' | 'closing' | 'closed'

/**
 * One client socket on `GET /v1/sessions/:id/ws`: hello and authentication, the welcome with
 * the current state, events strictly by revision (replaying what the client missed since
 * `since`), commands acknowledged only after the durable append, and the live extras (ping,
 * history, scrub, report). Bad input is answered with a stable code; abuse closes the socket.
 * This class follows the socket through its phases and hands each frame to the part that
 * deals with it.
 */
export class SessionConnection implements RoomConnection {
  readonly id = randomUUID()
  #phase: Phase = 'awaiting_hello'
  #user: AccessTokenClaims | undefined
  #lease: RoomLease | undefined
  /** Whether this socket is in its room's connections (between `enter` and `leave`). */
  /** Frees this socket's place under the per-user caps. */
  #freeSlot: (() => void) | undefined
  #stopAccessWatch: (() => void) | undefined
  readonly #out: SocketOutput
  readonly #handshake: Handshake
  readonly #budget: FrameBudget
  readonly #events: EventFeed
  readonly #history: HistoryPager
  readonly #scrub: TrailingThrottle<number>
  readonly #commands: InFlightCommands

  constructor(
    private readonly socket: WebSocket,
    /** Null when the URL names no possible session: answered with 4404 after hello. */
    private readonly sessionId: string | null,
    private readonly deps: ConnectionDeps,
  ) {
    const { limits, now, repository, log } = deps
    const isOpen = () => this.#phase === 'open'
    this.#out = new SocketOutput(socket, limits.maxBufferedBytes, () => this.#slowConsumer())
    this.#budget = new FrameBudget(limits, now, this.#out, (code, reason) => this.#closeAfterInFlight(code, reason))
    this.#handshake = new Handshake({
      verifier: deps.verifier,
      helloTimeoutMs: limits.helloTimeoutMs,
      now,
      onHelloTimeout: () => {
        this.#out.error('hello_timeout', `send hello within ${limits.helloTimeoutMs} ms`)
        this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'hello timeout')
      },
      // The client reconnects with a fresh token and `since`, missing nothing.
      onTokenExpired: () => {
        if (this.#phase === 'closed' || this.#phase === 'closing') return
        this.#out.error('invalid_token', 'access token has expired; reconnect with a fresh one')
        this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.unauthenticated, 'token expired')
      },
    })
    this.#events = new EventFeed(this.#out, {
      readAfter: (revision, maxCount) => repository.readAfter(sessionId!, revision, maxCount),
      isOpen,
      onOverflow: () => this.#slowConsumer(),
      maxHeldEvents: limits.maxHeldEvents,
      maxBufferedBytes: limits.maxBufferedBytes,
    })
    this.#history = new HistoryPager(this.#out, {
      read: (before, limit) => repository.history(sessionId!, before, limit),
      isOpen,
      onError: (err) => log.error({ err, sessionId }, 'history read failed'),
    })
    this.#commands = new InFlightCommands({
      out: this.#out,
      deliver: (frame) => this.#events.deliver(frame),
      now,
      onError: (err) => log.error({ err, sessionId }, 'command failed'),
      metrics: deps.metrics,
    })
    this.#scrub = new TrailingThrottle(limits.scrubIntervalMs, (position) => this.#lease?.room.scrub(this, position), now)
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary))
    socket.on('close', () => this.#teardown())
    socket.on('error', (err) => log.debug({ err }, 'socket error'))
  }

  get userId(): string {
    return this.#user?.sub ?? ''
  }

  sendEphemeral(frame: Buffer): void {
    if (this.#phase !== 'open' || this.#out.bufferedBytes > this.deps.limits.ephemeralBufferedBytes) return
    this.#out.frame(frame)
  }

  /**
   * Server shutdown: commands already taken are acknowledged, then the socket closes with 1001
   * and the client reconnects, possibly to another replica, with `since`.
   */
  async goAway(): Promise<void> {
    this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.goingAway, 'server shutting down')
    await this.#commands.settled()
  }

  /**
   * The replica drains: like `goAway`, but with 4503, which tells the client to reconnect at
   * once, through the balancer, to another replica.
   */
  async drain(): Promise<void> {
    this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.draining, 'replica draining: reconnect with since')
    await this.#commands.settled()
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#phase === 'closed' || this.#phase === 'closing') return
    try {
      if (isBinary) return this.#budget.badFrame('unsupported_frame', 'send JSON text frames')
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      if (bytes.length > this.deps.limits.maxFrameBytes) {
        return this.#budget.badFrame('frame_too_large', `frames are limited to ${this.deps.limits.maxFrameBytes} bytes`)
      }
      const text = bytes.toString('utf8')
      if (this.#phase === 'joining') return this.#handshake.keepEarly(text)
      this.#handle(text)
    } catch (err) {
      this.deps.log.error({ err }, 'socket frame handling failed')
      this.#out.error('internal', 'internal error')
    }
  }

  #handle(text: string): void {
    const parsed = parseClientFrame(text)
    if (this.#phase === 'awaiting_hello') {
      if (!parsed.ok || parsed.message.type !== 'hello') {
        this.#out.error('hello_required', 'the first frame must be hello{token, since?}')
        return this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'hello required')
      }
      void this.#join(parsed.message)
      return
    }
    if (!parsed.ok) {
      if (parsed.reply === 'reject') {
        this.deps.metrics.commandAnswered(parsed.code)
        this.#out.send({ type: 'reject', id: parsed.id, code: parsed.code, message: parsed.message })
        return this.#budget.strikeBadFrame()
      }
      return this.#budget.badFrame(parsed.code, parsed.message)
    }
    this.#dispatch(parsed.message)
  }

  #dispatch(message: ClientMessage): void {
    if (message.type === 'command') {
      if (!this.#budget.takeCommand()) {
        this.deps.metrics.commandAnswered('rate_limited')
        return this.#budget.rateLimited(message.id)
      }
      if (message.command.type === 'react' && !this.#lease!.room.reactions.take(this.userId)) return this.#reactionsLimited(message.id)
      return this.#commands.run(this.#lease!.room.live, this.userId, message)
    }
    if (!this.#budget.takeMessage()) return this.#budget.rateLimited(null)
    const room = this.#lease!.room
    switch (message.type) {
      case 'hello':
        return this.#out.error('hello_repeated', 'hello was already received')
      case 'ping': {
        const t1 = this.deps.now()
        return this.#out.send({ type: 'pong', t0: message.t0, t1, t2: this.deps.now() })
      }
      case 'history':
        if (!this.#budget.takeHistoryPage()) return this.#budget.rateLimited(null)
        return this.#history.request(message.before, message.limit)
      case 'report':
        return room.report(this, message.position, message.buffering)
      case 'scrub': {
        const state = room.live.state
        const refusal = state.status === 'open' ? controlRefusal(state, this.userId) : 'not_member'
        if (refusal) return this.#out.error(refusal, CONTROL_REFUSAL_MESSAGES[refusal])
        return this.#scrub.offer(message.position)
      }
    }
  }

  /** Too many reactions is not abuse (a viewer tapping away): refused, never a strike against the socket. */
  #reactionsLimited(commandId: string): void {
    const { reactionsPerWindow, reactionWindowMs } = MEDIA_LIMITS
    this.deps.metrics.commandAnswered('rate_limited')
    this.#out.send({ type: 'reject', id: commandId, code: 'rate_limited', message: `at most ${reactionsPerWindow} reactions per ${reactionWindowMs / 1000} s; wait a moment` })
  }

  /** After hello: the token, then the session, the welcome and what the client missed. */
  async #join(hello: HelloMessage): Promise<void> {
    this.#phase = 'joining'
    const verified = await this.#handshake.verify(hello.token)
    if (!verified.ok) {
      this.#out.error('invalid_token', verified.message)
      return this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'invalid token')
    }
    this.#user = verified.user
    const sessionId = this.sessionId
    const notFound = () => {
      this.#out.error('session_not_found', 'no such session')
      this.#close(SESSION_SOCKET_CLOSE.sessionNotFound, 'session not found')
    }
    if (sessionId === null) return notFound()
    this.#freeSlot = this.deps.socketCaps.take(this.userId, sessionId) ?? undefined
    if (!this.#freeSlot) {
      this.#out.error('too_many_sockets', 'you have the most sockets allowed open; close one or try again later')
      return this.#close(SESSION_SOCKET_CLOSE.tooManySockets, 'too many sockets')
    }
    try {
      const lease = await this.deps.hub.acquire(sessionId)
      if (this.#isClosed()) return lease.release()
      this.#lease = lease
      const live = lease.room.live
      // A room nobody watched may have missed a NATS message; a client ahead of it certainly did.
      if (lease.room.connectionCount === 0 || (hello.since !== undefined && hello.since > live.revision)) await live.catchUp()
      if (this.#isClosed()) return
      // A private session is not found by strangers; one who has just joined on another
      // replica may be ahead of this room, so a refusal is checked against the store first.
      if (!this.#maySee(live.state)) await live.catchUp()
      if (this.#isClosed()) return
      const state = live.state
      if (state.status === 'none' || !this.#maySee(state)) return notFound()
      const welcome = { type: 'welcome', revision: state.revision, state: toView(sessionId, state), serverTime: this.deps.now(), userId: this.userId } as const
      this.#events.follow(live, hello.since, welcome)
      // After the event that takes access away (leaving a private session, the session turning
      // private for a non-member), the socket is closed as if the session did not exist.
      this.#stopAccessWatch = live.onEvent(() => {
        if (!this.#maySee(live.state)) this.#lostAccess()
      })
      this.#phase = 'open'
      lease.room.enter(this)
      await this.#events.replay()
      const early = this.#handshake.takeEarly()
      for (const text of early.frames) if (this.#phase === 'open') this.#handle(text)
      if (early.dropped) this.#budget.rateLimited(null)
    } catch (err) {
      this.deps.log.error({ err, sessionId: this.sessionId }, 'joining a session socket failed')
      this.#out.error('internal', 'the session could not be loaded; reconnect')
      this.#close(1011, 'internal error')
    }
  }

  #maySee(state: SessionState): boolean {
    return state.status !== 'none' && maySee(state, this.userId)
  }

  /** Like a refused hello, but after the acks of commands already taken (the leave itself). */
  #lostAccess(): void {
    if (this.#phase !== 'open') return
    this.#phase = 'closing'
    void this.#commands.settled().then(() => {
      this.#out.error('session_not_found', 'no such session')
      this.#close(SESSION_SOCKET_CLOSE.sessionNotFound, 'session not found')
    })
  }

  #slowConsumer(): void {
    if (this.#phase === 'closed') return
    this.deps.metrics.slowConsumerClosed()
    this.deps.log.info({ sessionId: this.sessionId, userId: this.userId }, 'closing a slow consumer')
    this.#close(SESSION_SOCKET_CLOSE.slowConsumer, 'slow consumer: reconnect with since')
  }

  /** Stops reading at once, but lets the commands already taken be acknowledged first. */
  #closeAfterInFlight(code: number, reason: string): void {
    if (this.#phase !== 'open') return this.#close(code, reason)
    this.#phase = 'closing'
    void this.#commands.settled().then(() => this.#close(code, reason))
  }

  #close(code: number, reason: string): void {
    if (this.#phase === 'closed') return
    this.#teardown()
    this.socket.close(code, reason)
    // A client that never answers the close handshake (or reads nothing) is cut off.
    setTimeout(() => this.socket.terminate(), 5000).unref()
  }

  /** A method, not a field test, so TypeScript does not keep a narrowing across awaits. */
  #isClosed(): boolean {
    return this.#phase === 'closed'
  }

  #teardown(): void {
    if (this.#phase === 'closed') return
    this.#phase = 'closed'
    this.#out.close()
    this.#handshake.stop()
    this.#scrub.cancel()
    this.#events.stop()
    this.#stopAccessWatch?.()
    this.#freeSlot?.()
    if (this.#lease) {
      this.#lease.room.leave(this)
      this.#lease.release()
    }
  }
}
