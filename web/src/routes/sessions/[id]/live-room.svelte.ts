import { evolveSession } from '@tandem/contracts'
import type { PlaybackState, SessionEvent, SessionStateView, WelcomeMessage } from '@tandem/contracts'
import { fetchSocketToken } from '$lib/api/browser.ts'
import {
  LiveConnection,
  browserTimers,
  pageTokenSource,
  type ConnectionListener,
  type ConnectionStatus,
  type IssuedToken,
  type StopReason,
} from '$lib/live/index.ts'
import type { SyncEngine } from '$lib/sync/index.ts'
import { pageClock } from './page-clock.ts'

const PLAYBACK_EVENTS = new Set(['PlaybackStarted', 'PlaybackPaused', 'PlaybackSeeked', 'PlaybackRateChanged', 'VideoChanged', 'SessionEnded'])

/** Whether `event` changes the shared playback (the player follows it). */
export function isPlaybackEvent(event: SessionEvent): boolean {
  return PLAYBACK_EVENTS.has(event.type)
}

/** What the rest of the page does with the socket's frames, after the room's state is updated. */
export type LiveRoomListener = ConnectionListener

/**
 * The session socket of the watch page and the room's state as it keeps it: the state of each
 * `welcome`, advanced by each event, with every change of the shared playback handed to the
 * sync engine.
 */
export class LiveRoom {
  view: SessionStateView = $state.raw(undefined as unknown as SessionStateView)
  stopped: StopReason | null = $state(null)
  readonly connection: LiveConnection
  readonly #engine: SyncEngine

  constructor(session: SessionStateView, live: { url: string } & IssuedToken, engine: SyncEngine, listener: LiveRoomListener) {
    this.view = session
    this.#engine = engine
    this.connection = new LiveConnection({
      url: live.url,
      token: pageTokenSource(live, fetchSocketToken),
      clock: engine,
      createSocket: (url) => new WebSocket(url),
      timers: browserTimers,
      now: () => pageClock.now(),
      random: Math.random,
      newId: () => crypto.randomUUID(),
      listener: {
        welcome: (message, resumed) => {
          this.#onWelcome(message)
          listener.welcome(message, resumed)
        },
        event: (event, apply) => {
          if (apply) this.#apply(event.event)
          listener.event(event, apply)
        },
        scrub: (message) => listener.scrub(message),
        presence: (message) => listener.presence(message),
        error: (message) => listener.error(message),
        status: (status) => {
          if (status.phase === 'stopped') this.stopped = status.reason
          listener.status(status)
        },
      },
    })
  }

  #onWelcome(message: WelcomeMessage): void {
    const before = this.#engine.playback
    this.view = message.state
    // A reconnect that finds the room as it left it is no new state: no seek, no restart.
    if (!samePlayback(before, message.state.playback)) this.#engine.onWelcome(message.serverTime, message.state.playback)
  }

  #apply(event: SessionEvent): void {
    this.view = evolveSession(this.view, event)
    if (isPlaybackEvent(event)) this.#engine.onPlayback(this.view.playback)
  }
}

function samePlayback(a: PlaybackState | undefined, b: PlaybackState): boolean {
  return a !== undefined && a.status === b.status && a.position === b.position && a.rate === b.rate && a.at === b.at
}
