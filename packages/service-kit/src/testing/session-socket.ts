import WebSocket from 'ws'
import type { AckMessage, ClientCommand, ClientMessage, EventMessage, RejectMessage, ServerMessage, WelcomeMessage } from '@tandem/contracts'

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>

export interface SessionSocketOptions {
  /**
   * Keep every frame received in `received` (default), so tests can wait for one and assert on
   * all of them. Load generators that hold thousands of sockets or millions of frames turn it
   * off and read frames through `onMessage`.
   */
  record?: boolean
}

export interface HelloOptions {
  /** The last revision the client applied: the server replays the events after it. */
  since?: number
  /** How long to wait for the welcome (default 10 s). */
  timeoutMs?: number
}

export interface SocketClose {
  code: number
  reason: string
}

/**
 * One Node WebSocket connection to a session (`/v1/sessions/:id/ws`), speaking the session
 * protocol: hello → welcome, commands answered by ack or reject, events with revisions,
 * history pages, ping/pong, and the close code the server ends with. It does nothing on its
 * own (no reconnect, no retry): `ReconnectingSessionClient` builds that on top of it.
 */
export class SessionSocket {
  /** Every frame received, in order (empty when recording is off). */
  readonly received: ServerMessage[] = []
  /** Resolves when the connection has closed, with the close code and reason. */
  readonly closed: Promise<SocketClose>
  readonly #record: boolean
  #listeners: Array<(message: ServerMessage) => void> = []
  #waiters: Array<() => void> = []
  #nextId = 0

  private constructor(
    /** The underlying `ws` socket, for raw (binary, oversized, malformed) frames and TCP access. */
    readonly ws: WebSocket,
    options: SessionSocketOptions,
  ) {
    this.#record = options.record ?? true
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      if (this.#record) this.received.push(message)
      for (const listener of this.#listeners) listener(message)
      for (const wake of this.#waiters.splice(0)) wake()
    })
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() })
        for (const wake of this.#waiters.splice(0)) wake()
      })
    })
    ws.on('error', () => undefined)
  }

  /** Opens a connection (no hello yet); rejects if it cannot be opened. */
  static open(url: string, options: SessionSocketOptions = {}): Promise<SessionSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      const socket = new SessionSocket(ws, options)
      ws.once('open', () => {
        ws.off('error', reject)
        resolve(socket)
      })
      ws.once('error', reject)
    })
  }

  /** Opens, says hello (with `since` when given) and waits for the welcome. */
  static async join(
    url: string,
    token: string,
    since?: number,
    options: SessionSocketOptions & Pick<HelloOptions, 'timeoutMs'> = {},
  ): Promise<{ socket: SessionSocket; welcome: WelcomeMessage }> {
    const socket = await SessionSocket.open(url, options)
    const welcome = await socket.hello(token, { since, timeoutMs: options.timeoutMs })
    return { socket, welcome }
  }

  /** Sends hello; resolves with the welcome, rejects on an `error` frame, a close or the timeout. */
  hello(token: string, { since, timeoutMs = 10_000 }: HelloOptions = {}): Promise<WelcomeMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no welcome within ${timeoutMs} ms`)), timeoutMs)
      const stop = this.onMessage((message) => {
        if (message.type === 'welcome') done(null, message)
        else if (message.type === 'error') done(new Error(`hello refused: ${message.code} ${message.message}`))
      })
      const onClose = (code: number) => done(new Error(`socket closed (${code}) before welcome`))
      const done = (err: Error | null, welcome?: WelcomeMessage) => {
        clearTimeout(timer)
        stop()
        this.ws.off('close', onClose)
        if (err) reject(err)
        else resolve(welcome!)
      }
      this.ws.on('close', onClose)
      this.send({ type: 'hello', token, ...(since !== undefined ? { since } : {}) })
    })
  }

  /** Calls `listener` with every frame from now on; returns a function that stops it. */
  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.#listeners.push(listener)
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener)
    }
  }

  /** Sends a protocol frame as JSON. */
  send(frame: ClientMessage): void
  /** Sends anything else, for bad-input tests: a string as it is, any other value as JSON. */
  send(frame: unknown): void
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** Waits until a received frame satisfies `match` (recording must be on); returns it. */
  async waitFor<M extends ServerMessage>(match: (m: ServerMessage) => m is M, timeoutMs?: number, what?: string): Promise<M>
  async waitFor(match: (m: ServerMessage) => boolean, timeoutMs?: number, what?: string): Promise<ServerMessage>
  async waitFor(match: (m: ServerMessage) => boolean, timeoutMs = 10_000, what = 'a message'): Promise<ServerMessage> {
    if (!this.#record) throw new Error('waitFor needs a socket that records its frames')
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.received.find(match)
      if (found) return found
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.received.slice(-5)).slice(0, 600)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** The first frame of a type received after index `afterIndex` of `received` (default: any). */
  next<T extends ServerMessage['type']>(type: T, timeoutMs?: number, afterIndex = -1): Promise<Of<T>> {
    return this.waitFor((m) => m.type === type && this.received.indexOf(m) > afterIndex, timeoutMs, type) as Promise<Of<T>>
  }

  /** Sends a command and waits for its ack or reject. */
  command(command: ClientCommand, id = `cmd-${++this.#nextId}-${Math.random().toString(36).slice(2, 8)}`): Promise<AckMessage | RejectMessage> {
    this.send({ type: 'command', id, command })
    return this.waitFor((m): m is AckMessage | RejectMessage => (m.type === 'ack' || m.type === 'reject') && m.id === id, 10_000, `ack of ${id}`)
  }

  /** The event frames received so far. */
  events(): EventMessage[] {
    return this.received.filter((m): m is EventMessage => m.type === 'event')
  }

  /** Waits until an event with at least this revision has arrived. */
  waitForRevision(revision: number, timeoutMs?: number): Promise<EventMessage> {
    return this.waitFor((m): m is EventMessage => m.type === 'event' && m.revision >= revision, timeoutMs, `revision ${revision}`)
  }

  /** Starts the closing handshake (optionally with a code and reason) and waits for the close. */
  close(code?: number, reason?: string): Promise<SocketClose> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason)
    return this.closed
  }
}

/** Closes every socket and waits for the closing handshakes. */
export async function closeAll(sockets: readonly SessionSocket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => socket.close()))
}
