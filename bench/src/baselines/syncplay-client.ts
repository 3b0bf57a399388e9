import { connect, type Socket } from 'node:net'

/** What Syncplay 1.6.9's client puts in its Hello. */
const CLIENT_VERSION = '1.6.9'
const FEATURES = { sharedPlaylists: true, chat: true, featureList: true, readiness: true, managedRooms: true }

interface PlayState {
  position?: number
  paused?: boolean
  doSeek?: boolean
  setBy?: string | null
}

interface StateMessage {
  playstate?: PlayState
  ping?: { latencyCalculation?: number; clientLatencyCalculation?: number; serverRtt?: number }
  ignoringOnTheFly?: { server?: number; client?: number }
}

/**
 * A Syncplay client without a media player, speaking the protocol as Syncplay's own client does
 * (syncplay/protocols.py, SyncClientProtocol): JSON lines over TCP, `Hello` to enter a room, and
 * a `State` answer to every `State` the server sends (the server drops a client that stays
 * silent for 12.5 s), with the "ignoring on the fly" handshake that follows a forced change.
 * A seek is a `State` with `doSeek` that the server forwards to everyone in the room.
 */
export class SyncplayClient {
  #position = 0
  readonly #paused = true
  #serverIgnoring = 0
  #clientIgnoring = 0
  #rttSeconds = 0
  #buffer = ''

  private constructor(
    readonly username: string,
    private readonly socket: Socket,
    /** Called for every forced seek this client receives. */
    private readonly onSeek: (position: number, setBy: string) => void,
  ) {
    socket.setNoDelay(true)
    socket.on('data', (chunk) => this.#onData(chunk))
  }

  /** Connects, enters `room` and resolves once the server has answered the Hello. */
  static open(port: number, username: string, room: string, onSeek: (position: number, setBy: string) => void): Promise<SyncplayClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      const client = new SyncplayClient(username, socket, onSeek)
      const timer = setTimeout(() => reject(new Error(`syncplay: no Hello answer for ${username}`)), 60_000)
      client.#onHello = () => {
        clearTimeout(timer)
        resolve(client)
      }
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('connect', () => {
        client.#send({ Hello: { username, room: { name: room }, version: '1.2.255', realversion: CLIENT_VERSION, features: FEATURES } })
      })
    })
  }

  #onHello: () => void = () => undefined

  /** The user dragged the timeline to `position` (paused). */
  seek(position: number): void {
    this.#position = position
    this.#sendState(true, undefined, true)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve()
      this.socket.once('close', () => resolve())
      this.socket.end()
    })
  }

  #onData(chunk: Buffer): void {
    this.#buffer += chunk.toString('utf8')
    let end: number
    while ((end = this.#buffer.indexOf('\r\n')) >= 0) {
      const line = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end + 2)
      if (line) this.#onMessage(JSON.parse(line) as Record<string, unknown>)
    }
  }

  #onMessage(message: Record<string, unknown>): void {
    if ('Hello' in message) this.#onHello()
    if ('State' in message) this.#onState(message.State as StateMessage)
    if ('Error' in message) throw new Error(`syncplay server error for ${this.username}: ${JSON.stringify(message.Error)}`)
  }

  #onState(state: StateMessage): void {
    const ignore = state.ignoringOnTheFly
    if (ignore?.server !== undefined) {
      this.#serverIgnoring = ignore.server
      this.#clientIgnoring = 0
    } else if (ignore?.client !== undefined && ignore.client === this.#clientIgnoring) {
      this.#clientIgnoring = 0
    }
    const play = state.playstate
    if (play?.doSeek && play.setBy && play.position !== undefined) this.onSeek(play.position, play.setBy)
    let latencyCalculation: number | undefined
    if (state.ping) {
      latencyCalculation = state.ping.latencyCalculation
      if (state.ping.clientLatencyCalculation !== undefined) this.#rttSeconds = Math.max(0, Date.now() / 1000 - state.ping.clientLatencyCalculation)
    }
    if (play && play.position !== undefined && play.paused !== undefined && !this.#clientIgnoring) this.#position = play.position
    this.#sendState(false, latencyCalculation, false)
  }

  /** As SyncClientProtocol.sendState. */
  #sendState(doSeek: boolean, latencyCalculation: number | undefined, stateChange: boolean): void {
    const state: StateMessage & { ping: Record<string, number> } = { ping: {} }
    if (this.#clientIgnoring === 0 || this.#serverIgnoring !== 0) {
      state.playstate = { position: this.#position, paused: this.#paused, ...(doSeek ? { doSeek: true } : {}) }
    }
    if (latencyCalculation) state.ping.latencyCalculation = latencyCalculation
    state.ping.clientLatencyCalculation = Date.now() / 1000
    state.ping.clientRtt = this.#rttSeconds
    if (stateChange) this.#clientIgnoring++
    if (this.#serverIgnoring || this.#clientIgnoring) {
      state.ignoringOnTheFly = {}
      if (this.#serverIgnoring) {
        state.ignoringOnTheFly.server = this.#serverIgnoring
        this.#serverIgnoring = 0
      }
      if (this.#clientIgnoring) state.ignoringOnTheFly.client = this.#clientIgnoring
    }
    this.#send({ State: state })
  }

  #send(message: unknown): void {
    if (!this.socket.destroyed) this.socket.write(`${JSON.stringify(message)}\r\n`)
  }
}
