import { randomUUID } from 'node:crypto'
import type { WebSocket, RawData } from 'ws'
import type { FastifyBaseLogger } from 'fastify'
import type { TokenVerifier } from '@tandem/service-kit'
import {
  SESSION_LIMITS,
  SESSION_SOCKET_CLOSE,
  controlRefusal,
  encodeEventFrame,
  type AccessTokenClaims,
  type ClientMessage,
  type CommandMessage,
  type HelloMessage,
  type ProtocolErrorCode,
  type RejectCode,
  type ServerMessage,
} from '@tandem/contracts'
import type { SessionHub, RoomLease } from '../live/session-hub.ts'
import type { RoomConnection } from '../live/session-room.ts'
import type { SessionRepository } from '../stream/session-repository.ts'
import { CONTROL_REFUSAL_MESSAGES } from '../domain/decide.ts'
import { toView } from '../domain/state.ts'
import { parseClientFrame } from './client-frames.ts'
import { StrikeCounter, TokenBucket, TrailingThrottle } from './flow-control.ts'

export interface ConnectionLimits {
  helloTimeoutMs: number
  maxFrameBytes: number
  /** Commands: burst and sustained rate per socket. */
  commandBurst: number
  commandsPerSecond: number
  /** Other messages (ping, history, report, scrub). */
  messageBurst: number
  messagesPerSecond: number
  /** History pages, which read the store, have a tighter budget of their own. */
  historyBurst: number
  historyPerSecond: number
  /** Rate-limited frames tolerated within `strikeWindowMs` before the socket is closed. */
  rateStrikes: number
  /** Malformed frames tolerated within `strikeWindowMs` before the socket is closed. */
  badFrameStrikes: number
  strikeWindowMs: number
  /** At most one scrub preview per this interval leaves a socket. */
  scrubIntervalMs: number
  /** A socket whose unsent bytes exceed this is closed as a slow consumer. */
  maxBufferedBytes: number
  /** Ephemeral frames are dropped (not queued) for a socket with more unsent bytes than this. */
  ephemeralBufferedBytes: number
  /** Frames held for one socket while its `since` replay is read. */
  maxHeldEvents: number
}

export const defaultConnectionLimits: ConnectionLimits = {
  helloTimeoutMs: SESSION_LIMITS.helloTimeoutMs,
  maxFrameBytes: SESSION_LIMITS.maxFrameBytes,
  commandBurst: 30,
  commandsPerSecond: 15,
  messageBurst: 120,
  messagesPerSecond: 60,
  historyBurst: 60,
  historyPerSecond: 20,
  rateStrikes: 100,
  badFrameStrikes: 20,
  strikeWindowMs: 10_000,
  scrubIntervalMs: 100,
  maxBufferedBytes: 1024 * 1024,
  ephemeralBufferedBytes: 128 * 1024,
  maxHeldEvents: 10_000,
}

export interface ConnectionDeps {
  hub: SessionHub
  repository: SessionRepository
  verifier: TokenVerifier
  log: FastifyBaseLogger
  limits: ConnectionLimits
  now(): number
}

/** `closing`: no more frames are read; commands in flight still get their ack, then the socket closes. */
/** Frames kept while the token is checked and the session loaded; more are dropped as a flood. */
const MAX_EARLY_FRAMES = 64
/** setTimeout's longest delay; a timer set longer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

type Phase = 'awaiting_hello' | 'joining' | 'open' | 'closing' | 'closed'

/**
 * One client socket on `GET /v1/sessions/:id/ws`: hello and authentication, the welcome with
 * the current state, events strictly by revision (replaying what the client missed since
 * `since`), commands acknowledged only after the durable append, and the live extras (ping,
 * history, scrub, report). Bad input is answered with a stable code; abuse closes the socket.
 */
export class SessionConnection implements RoomConnection {
  readonly id = randomUUID()
  #phase: Phase = 'awaiting_hello'
  #user: AccessTokenClaims | undefined
  #lease: RoomLease | undefined
  #stopEvents: (() => void) | undefined
  /** Events that arrived while the `since` replay was being read; null once live. */
  #held: Array<string | Buffer> | null = null
  /** Frames received while authenticating, handled once the socket is open. */
  readonly #early: string[] = []
  readonly #helloTimer: NodeJS.Timeout
  #tokenExpiryTimer: NodeJS.Timeout | undefined
  readonly #commands: TokenBucket
  readonly #messages: TokenBucket
  readonly #historyPages: TokenBucket
  readonly #rateStrikes: StrikeCounter
  readonly #badFrames: StrikeCounter
  readonly #scrub: TrailingThrottle<number>
  readonly #inFlight = new Set<Promise<void>>()
  /**
   * History pages asked for and not read yet. They are read one at a time: a client asking for
   * many at once would otherwise queue that many store reads ahead of everyone's commands, even
   * when it reads nothing (it is closed as a slow consumer before most of them are read).
   */
  readonly #historyWaiting: Array<{ before: number | undefined; limit: number }> = []
  #readingHistory = false
  #earlyDropped = 0

  constructor(
    private readonly socket: WebSocket,
    /** Null when the URL names no possible session: answered with 4404 after hello. */
    private readonly sessionId: string | null,
    private readonly deps: ConnectionDeps,
  ) {
    const { limits, now } = deps
    this.#commands = new TokenBucket(limits.commandBurst, limits.commandsPerSecond, now)
    this.#messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond, now)
    this.#historyPages = new TokenBucket(limits.historyBurst, limits.historyPerSecond, now)
    this.#rateStrikes = new StrikeCounter(limits.rateStrikes, limits.strikeWindowMs, now)
    this.#badFrames = new StrikeCounter(limits.badFrameStrikes, limits.strikeWindowMs, now)
    this.#scrub = new TrailingThrottle(limits.scrubIntervalMs, (position) => this.#lease?.room.scrub(this, position), now)
    this.#helloTimer = setTimeout(() => {
      this.#sendError('hello_timeout', `send hello within ${limits.helloTimeoutMs} ms`)
      this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'hello timeout')
    }, limits.helloTimeoutMs)
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary))
    socket.on('close', () => this.#teardown())
    socket.on('error', (err) => deps.log.debug({ err }, 'socket error'))
  }

  get userId(): string {
    return this.#user?.sub ?? ''
  }

  sendEphemeral(frame: Buffer): void {
    if (this.#phase !== 'open' || this.socket.bufferedAmount > this.deps.limits.ephemeralBufferedBytes) return
    this.#sendFrame(frame)
  }

  /**
   * Server shutdown: commands already taken are acknowledged, then the socket closes with 1001
   * and the client reconnects, possibly to another replica, with `since`.
   */
  async goAway(): Promise<void> {
    this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.goingAway, 'server shutting down')
    await Promise.allSettled([...this.#inFlight])
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#phase === 'closed' || this.#phase === 'closing') return
    try {
      if (isBinary) return this.#badFrame('unsupported_frame', 'send JSON text frames')
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      if (bytes.length > this.deps.limits.maxFrameBytes) {
        return this.#badFrame('frame_too_large', `frames are limited to ${this.deps.limits.maxFrameBytes} bytes`)
      }
      const text = bytes.toString('utf8')
      if (this.#phase === 'joining') {
        if (this.#early.length < MAX_EARLY_FRAMES) this.#early.push(text)
        else this.#earlyDropped++
        return
      }
      this.#handle(text)
    } catch (err) {
      this.deps.log.error({ err }, 'socket frame handling failed')
      this.#sendError('internal', 'internal error')
    }
  }

  #handle(text: string): void {
    const parsed = parseClientFrame(text)
    if (this.#phase === 'awaiting_hello') {
      if (!parsed.ok || parsed.message.type !== 'hello') {
        this.#sendError('hello_required', 'the first frame must be hello{token, since?}')
        return this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'hello required')
      }
      void this.#hello(parsed.message)
      return
    }
    if (!parsed.ok) {
      if (parsed.reply === 'reject') {
        this.#send({ type: 'reject', id: parsed.id, code: parsed.code, message: parsed.message })
        return this.#strikeBadFrame()
      }
      return this.#badFrame(parsed.code, parsed.message)
    }
    this.#dispatch(parsed.message)
  }

  #dispatch(message: ClientMessage): void {
    if (message.type === 'command') return this.#command(message)
    if (!this.#messages.take()) return this.#rateLimited(null)
    const room = this.#lease!.room
    switch (message.type) {
      case 'hello':
        return this.#sendError('hello_repeated', 'hello was already received')
      case 'ping': {
        const t1 = this.deps.now()
        return this.#send({ type: 'pong', t0: message.t0, t1, t2: this.deps.now() })
      }
      case 'history':
        if (!this.#historyPages.take()) return this.#rateLimited(null)
        this.#historyWaiting.push({ before: message.before, limit: message.limit })
        return void this.#readHistory()
      case 'report':
        return room.report(this, message.position, message.buffering)
      case 'scrub': {
        const state = room.live.state
        const refusal = state.status === 'open' ? controlRefusal(state, this.userId) : 'not_member'
        if (refusal) return this.#sendError(refusal, CONTROL_REFUSAL_MESSAGES[refusal])
        return this.#scrub.offer(message.position)
      }
    }
  }

  async #hello(hello: HelloMessage): Promise<void> {
    this.#phase = 'joining'
    clearTimeout(this.#helloTimer)
    try {
      this.#user = await this.deps.verifier.verify(hello.token)
    } catch (err) {
      const code = (err as { code?: string }).code === 'token_expired' ? 'access token has expired' : 'access token is not valid'
      this.#sendError('invalid_token', code)
      return this.#close(SESSION_SOCKET_CLOSE.unauthenticated, 'invalid token')
    }
    this.#closeWhenTokenExpires(this.#user.exp * 1000)
    const sessionId = this.sessionId
    const notFound = () => {
      this.#sendError('session_not_found', 'no such session')
      this.#close(SESSION_SOCKET_CLOSE.sessionNotFound, 'session not found')
    }
    if (sessionId === null) return notFound()
    try {
      const lease = await this.deps.hub.acquire(sessionId)
      if (this.#isClosed()) return lease.release()
      this.#lease = lease
      const live = lease.room.live
      // A room nobody watched may have missed a NATS message; a client ahead of it certainly did.
      if (lease.room.connectionCount === 0 || (hello.since !== undefined && hello.since > live.revision)) await live.catchUp()
      if (this.#isClosed()) return
      // From here to the listener being registered nothing awaits, so no event falls between
      // the welcome's revision and the first live event.
      const state = live.state
      if (state.status === 'none') return notFound()
      const revision = state.revision
      const since = Math.min(hello.since ?? revision, revision)
      if (since < revision) this.#held = []
      this.#stopEvents = live.onEvent((_stored, frame) => this.#deliver(frame))
      this.#send({ type: 'welcome', revision, state: toView(sessionId, state), serverTime: this.deps.now(), userId: this.userId })
      this.#phase = 'open'
      lease.room.enter(this)
      if (since < revision) await this.#replay(since, revision)
      for (const text of this.#early.splice(0)) if (this.#phase === 'open') this.#handle(text)
      if (this.#earlyDropped > 0) this.#rateLimited(null)
    } catch (err) {
      this.deps.log.error({ err, sessionId: this.sessionId }, 'joining a session socket failed')
      this.#sendError('internal', 'the session could not be loaded; reconnect')
      this.#close(1011, 'internal error')
    }
  }

  /**
   * The token was checked once, at hello; the socket must not outlive it. When it expires the
   * client is told so and closed with 4401 (after the commands it already sent are answered),
   * and reconnects with a fresh token and `since`, missing nothing.
   */
  #closeWhenTokenExpires(expiresAt: number): void {
    const delay = Math.min(Math.max(expiresAt - this.deps.now(), 0), MAX_TIMER_MS)
    this.#tokenExpiryTimer = setTimeout(() => {
      if (this.#phase === 'closed' || this.#phase === 'closing') return
      this.#sendError('invalid_token', 'access token has expired; reconnect with a fresh one')
      this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.unauthenticated, 'token expired')
    }, delay)
  }

  /** Sends events (since, upTo] from the store, then what arrived live meanwhile. */
  async #replay(since: number, upTo: number): Promise<void> {
    let after = since
    while (after < upTo && this.#phase === 'open') {
      const page = await this.deps.repository.readAfter(this.sessionId!, after, Math.min(500, upTo - after))
      if (page.length === 0) break
      for (const stored of page) if (stored.revision <= upTo) this.#sendFrame(encodeEventFrame(stored.revision, stored.event))
      after = page[page.length - 1]!.revision
      // Let the socket drain before reading the next page.
      while (this.#phase === 'open' && this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes / 2) {
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const held = this.#held ?? []
    this.#held = null
    for (const frame of held) this.#sendFrame(frame)
  }

  #deliver(frame: string | Buffer): void {
    if (this.#held) {
      if (this.#held.length >= this.deps.limits.maxHeldEvents) return this.#slowConsumer()
      this.#held.push(frame)
      return
    }
    this.#sendFrame(frame)
  }

  #command(message: CommandMessage): void {
    if (!this.#commands.take()) return this.#rateLimited(message.id)
    const live = this.#lease!.room.live
    const running = live
      .execute({ id: message.id, userId: this.userId, at: this.deps.now(), command: message.command })
      .then((outcome) => {
        const answer: ServerMessage =
          outcome.kind === 'ack'
            ? { type: 'ack', id: message.id, revision: outcome.revision }
            : { type: 'reject', id: message.id, code: outcome.code, message: outcome.message }
        // Behind any event frames still held during a replay, so an ack never overtakes its event.
        this.#deliver(JSON.stringify(answer))
      })
      .catch((err: unknown) => {
        this.deps.log.error({ err, sessionId: this.sessionId }, 'command failed')
        this.#send({ type: 'reject', id: message.id, code: 'unavailable', message: 'the command could not be stored; retry it with the same id' })
      })
      .finally(() => this.#inFlight.delete(running))
    this.#inFlight.add(running)
  }

  async #readHistory(): Promise<void> {
    if (this.#readingHistory) return
    this.#readingHistory = true
    try {
      for (let next = this.#historyWaiting.shift(); next && this.#phase === 'open'; next = this.#historyWaiting.shift()) {
        await this.#history(next.before, next.limit)
      }
    } finally {
      this.#readingHistory = false
    }
  }

  async #history(before: number | undefined, limit: number): Promise<void> {
    try {
      const page = await this.deps.repository.history(this.sessionId!, before, limit)
      this.#send({ type: 'history', events: page.events.map(({ revision, event }) => ({ revision, event })), hasMore: page.hasMore })
    } catch (err) {
      this.deps.log.error({ err, sessionId: this.sessionId }, 'history read failed')
      this.#sendError('internal', 'history is unavailable; retry')
    }
  }

  #rateLimited(commandId: string | null): void {
    if (commandId !== null) {
      this.#send({ type: 'reject', id: commandId, code: 'rate_limited' satisfies RejectCode, message: 'too many commands; slow down' })
    } else {
      this.#sendError('rate_limited', 'too many messages; slow down')
    }
    if (this.#rateStrikes.record()) this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.rateLimited, 'rate limit exceeded')
  }

  #badFrame(code: ProtocolErrorCode, message: string): void {
    this.#sendError(code, message)
    this.#strikeBadFrame()
  }

  #strikeBadFrame(): void {
    if (this.#badFrames.record()) this.#closeAfterInFlight(SESSION_SOCKET_CLOSE.abuse, 'too many bad frames')
  }

  #slowConsumer(): void {
    this.deps.log.info({ sessionId: this.sessionId, userId: this.userId }, 'closing a slow consumer')
    this.#close(SESSION_SOCKET_CLOSE.slowConsumer, 'slow consumer: reconnect with since')
  }

  #sendError(code: ProtocolErrorCode, message: string): void {
    this.#send({ type: 'error', code, message })
  }

  #send(message: ServerMessage): void {
    this.#sendFrame(JSON.stringify(message))
  }

  /** Sends a text frame; a Buffer is UTF-8 already encoded (shared by every socket of a session). */
  #sendFrame(frame: string | Buffer): void {
    if (this.#phase === 'closed' || this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) return this.#slowConsumer()
    this.socket.send(frame, { binary: false })
  }

  /** Stops reading at once, but lets the commands already taken be acknowledged first. */
  #closeAfterInFlight(code: number, reason: string): void {
    if (this.#phase !== 'open') return this.#close(code, reason)
    this.#phase = 'closing'
    void Promise.allSettled([...this.#inFlight]).then(() => this.#close(code, reason))
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
    clearTimeout(this.#helloTimer)
    clearTimeout(this.#tokenExpiryTimer)
    this.#scrub.cancel()
    this.#stopEvents?.()
    if (this.#lease) {
      this.#lease.room.leave(this)
      this.#lease.release()
    }
  }
}
