import { positionAt, type PlaybackState } from '@tandem/contracts'
import type { Clock } from './clock.ts'
import {
  ClockOffsetEstimator,
  DEFAULT_PING_SCHEDULE,
  nextPingDelay,
  type ClockOffsetOptions,
  type PingSchedule,
} from './clock-offset.ts'
import type { DriftBands } from './drift-bands.ts'
import { DriftController } from './drift-controller.ts'
import { FollowController } from './follow-controller.ts'
import type { RateTrimOptions } from './rate-trim.ts'
import type { ControllerMode, MediaSnapshot, SyncDecision, SyncTarget } from './sync-decision.ts'

export interface SyncEngineOptions {
  bands?: Partial<DriftBands>
  pingSchedule?: PingSchedule
  offset?: ClockOffsetOptions
  trim?: Partial<RateTrimOptions>
  /** correct drift (the default); false: only follow what people do (see follow-controller.ts) */
  autoSync?: boolean
}

/** A pong from the server: our t0 echoed, with its receive (t1) and send (t2) times. */
export interface Pong {
  t0: number
  t1: number
  t2: number
}

/**
 * The playback sync engine of one watch page: clock offset + shared playback state + drift
 * controller. The page feeds it frames from the socket and snapshots of the `<video>`, and
 * applies the actions it returns; the engine owns no socket, element or timer.
 */
export class SyncEngine {
  readonly offset: ClockOffsetEstimator
  readonly controller: DriftController
  /** drives the element instead of `controller` while auto-sync is off */
  readonly follower: FollowController
  readonly #clock: Clock
  readonly #pingSchedule: PingSchedule
  #playback: PlaybackState | undefined
  #version = 0
  #autoSync: boolean

  constructor(clock: Clock, options: SyncEngineOptions = {}) {
    this.#clock = clock
    this.#pingSchedule = options.pingSchedule ?? DEFAULT_PING_SCHEDULE
    this.offset = new ClockOffsetEstimator(options.offset)
    this.controller = new DriftController(options.bands, options.trim)
    this.follower = new FollowController(options.bands, () => this.controller.seekLatency)
    this.#autoSync = options.autoSync ?? true
  }

  get autoSync(): boolean {
    return this.#autoSync
  }

  /**
   * Turns drift correction on or off. Off: the next tick puts the element back at the session's
   * exact rate (a nudge or trim in progress is dropped) and it stays where it is. On: the drift
   * controller takes over as after a new shared state, so the element is brought back at once.
   */
  setAutoSync(on: boolean): void {
    if (on === this.#autoSync) return
    this.#autoSync = on
    if (on) this.#version++
    else this.follower.adopt(this.#version)
  }

  /** What the active controller is doing (for diagnostics). */
  get mode(): ControllerMode {
    return this.#autoSync ? this.controller.mode : 'off'
  }

  /** `welcome{serverTime, state}`: a rough clock offset at once, and the current playback. */
  onWelcome(serverTime: number, playback: PlaybackState): void {
    if (this.offset.estimate === undefined) this.offset.seed(serverTime, this.#clock.now())
    this.onPlayback(playback)
  }

  /** The shared playback changed (welcome, or a play/pause/seek/rate event was applied). */
  onPlayback(playback: PlaybackState): void {
    this.#playback = { ...playback }
    this.#version++
  }

  /**
   * The element has loaded other media (the room's video changed, or a viewer opened another
   * copy of a local file) and knows its duration: both controllers start afresh on it.
   */
  onNewMedia(): void {
    this.controller.onNewMedia()
    this.follower.onNewMedia()
  }

  get playback(): PlaybackState | undefined {
    return this.#playback
  }

  /** The payload of the next `ping` frame. */
  ping(): { t0: number } {
    return { t0: this.#clock.now() }
  }

  onPong(pong: Pong): boolean {
    return this.offset.add({ ...pong, t3: this.#clock.now() })
  }

  /** ms until the next ping should be sent. */
  nextPingDelay(): number {
    return nextPingDelay(this.offset.sampleCount, this.#pingSchedule)
  }

  serverNow(): number {
    return this.offset.serverNow(this.#clock.now())
  }

  /** Where the video should be now (seconds), or undefined before the first state. */
  expectedPosition(duration?: number): number | undefined {
    return this.#playback && positionAt(this.#playback, this.serverNow(), duration)
  }

  /** One control step; undefined until the shared state is known. */
  tick(media: MediaSnapshot, duration?: number): SyncDecision | undefined {
    const target = this.target(duration)
    if (target === undefined) return undefined
    const controller = this.#autoSync ? this.controller : this.follower
    return controller.tick(this.#clock.now(), target, media)
  }

  target(duration?: number): SyncTarget | undefined {
    const playback = this.#playback
    if (playback === undefined) return undefined
    const position = positionAt(playback, this.serverNow(), duration)
    // At the end of the video the shared timeline is over: hold the last frame. (play() on an
    // ended element would restart it from 0:00.)
    const ended = duration !== undefined && Number.isFinite(duration) && position >= duration
    return {
      status: ended ? 'paused' : playback.status,
      position,
      rate: playback.rate,
      version: this.#version,
    }
  }

  /**
   * The socket was replaced (reconnect, maybe to another replica): measure the clock afresh
   * (the ping burst starts again). The playback state and the old offset are kept, so the video
   * carries on at the shared position meanwhile and the new socket's `welcome` corrects it.
   */
  onReconnect(): void {
    this.offset.restart()
  }
}
