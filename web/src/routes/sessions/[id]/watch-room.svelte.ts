import { evolveSession, mayControl } from '@tandem/contracts'
import type {
  ClientCommand,
  ControlMode,
  PresenceViewer,
  RevisionedSessionEvent,
  SessionResponse,
  SessionStateView,
  WelcomeMessage,
} from '@tandem/contracts'
import type { Preferences } from '$lib/api/profile.ts'
import {
  ARROW_STEP_SECONDS,
  LiveConnection,
  ProfileDirectory,
  RoomLog,
  Throttle,
  browserTimers,
  pageTokenSource,
  replayVisible,
  type ChatEntry,
  type CommandOutcome,
  type ConnectionStatus,
  type ControlMark,
  type IssuedToken,
  type Person,
  type PlayerShortcut,
  type StopReason,
} from '$lib/live/index.ts'
import {
  SyncEngine,
  applyActions,
  badgeReducer,
  initialBadge,
  snapshotOf,
  type BadgeEvent,
  type BadgeModel,
  type BadgeState,
  type Clock,
  type SyncStatus,
} from '$lib/sync/index.ts'

export interface WatchRoomInit {
  session: SessionResponse
  me: Person
  people: Person[]
  preferences: Preferences
  live: { url: string } & IssuedToken
}

/** Another viewer's drag on the timeline. */
export interface ScrubMarker {
  userId: string
  position: number
  /** local ms of the last preview */
  seenAt: number
}

const TICK_MS = 250
/** presence reports: at least this often, and at once when buffering starts or stops */
const REPORT_EVERY_MS = 3000
/** after a play, pause or seek, the next report goes out this soon */
const REPORT_AFTER_CHANGE_MS = 600
const SCRUB_FRAME_MS = 100
/** a drag held still re-sends its position this often, so others keep seeing the marker */
const SCRUB_HOLD_MS = 700
/** a preview marker with no news for this long is removed (the drag was abandoned) */
const SCRUB_MARKER_TTL_MS = 2000
const HISTORY_PAGE = 200
/** the replay view pages in at most this many history pages */
const REPLAY_MAX_PAGES = 25
const NOTICE_MS = 4000
/** HTMLMediaElement.HAVE_METADATA */
const HAVE_METADATA = 1

const PLAYBACK_EVENTS = new Set(['PlaybackStarted', 'PlaybackPaused', 'PlaybackSeeked', 'PlaybackRateChanged', 'VideoChanged', 'SessionEnded'])

const REJECTIONS: Record<string, string> = {
  not_host: 'Only the host controls playback in this session.',
  not_member: 'You are no longer a member of this session.',
  session_ended: 'This session has ended.',
  rate_limited: 'Slow down a little.',
  closed: 'Not connected to the session.',
}

/** Performance time is monotonic; the wall clock can be stepped under a running video. */
const pageClock: Clock = { now: () => performance.timeOrigin + performance.now() }

/**
 * Everything live on the watch page: the session socket, the room's state, chat and control
 * history, presence and scrub previews, and the sync engine driving the `<video>`. The page's
 * components read its fields (Svelte state) and call its methods.
 */
export class WatchRoom {
  readonly me: Person
  readonly preferences: Preferences
  readonly engine: SyncEngine

  view: SessionStateView = $state.raw(undefined as unknown as SessionStateView)
  badge: BadgeState = $state('connecting')
  syncStatus: SyncStatus = $state('in-sync')
  stopped: StopReason | null = $state(null)
  viewers: PresenceViewer[] = $state.raw([])
  /** everyone watching (a large room's presence lists only some of them) */
  watchingCount = $state(0)
  chat: ChatEntry[] = $state.raw([])
  marks: ControlMark[] = $state.raw([])
  scrubs: ScrubMarker[] = $state.raw([])
  /** where this viewer drags the timeline, null when not dragging */
  dragPosition: number | null = $state(null)
  currentTime = $state(0)
  duration = $state(0)
  /** the browser refused to start the video without a click (autoplay policy) */
  needsClick = $state(false)
  notice: string | null = $state(null)
  replay = $state(false)
  historyLoading = $state(false)
  hasMoreHistory = $state(true)
  /** bumped when names or colours arrive */
  peopleVersion = $state(0)
  /**
   * Drift correction on this page: starts as the profile's "keep my player in sync", and the
   * toggle next to the badge changes it for this page only (the profile is not saved).
   */
  autoSync = $state(true)

  readonly canControl = $derived(mayControl(this.view, this.#meId()))
  readonly isHost = $derived(this.view.hostId === this.#meId())
  readonly visibleChat = $derived(this.replay ? replayVisible(this.chat, this.currentTime) : this.chat)

  readonly #connection: LiveConnection
  readonly #directory: ProfileDirectory
  readonly #log = new RoomLog()
  readonly #scrubSender: Throttle<number>
  #badgeModel: BadgeModel = initialBadge(pageClock.now())
  #video: HTMLVideoElement | undefined
  #tickTimer: ReturnType<typeof setInterval> | undefined
  #holdTimer: ReturnType<typeof setInterval> | undefined
  #noticeTimer: ReturnType<typeof setTimeout> | undefined
  #lastReport = { at: Number.NEGATIVE_INFINITY, buffering: false }
  readonly #cleanups: Array<() => void> = []

  constructor(init: WatchRoomInit) {
    this.me = init.me
    this.preferences = init.preferences
    // "keep my player in sync" off: follow play, pause, jumps and rate changes, correct no drift
    this.engine = new SyncEngine(pageClock, { autoSync: init.preferences.autoSync })
    this.autoSync = init.preferences.autoSync
    this.view = init.session
    this.#directory = new ProfileDirectory(
      async (ids) => {
        const response = await fetch(`/api/profiles?ids=${encodeURIComponent(ids.join(','))}`)
        if (!response.ok) throw new Error(`profiles: ${response.status}`)
        return ((await response.json()) as { people: Person[] }).people
      },
      () => this.peopleVersion++,
      browserTimers,
      init.people,
    )
    this.#connection = new LiveConnection({
      url: init.live.url,
      token: pageTokenSource(init.live, () => fetch('/api/token', { cache: 'no-store' })),
      clock: this.engine,
      createSocket: (url) => new WebSocket(url),
      timers: browserTimers,
      now: () => pageClock.now(),
      random: Math.random,
      newId: () => crypto.randomUUID(),
      listener: {
        welcome: (message, resumed) => this.#onWelcome(message, resumed),
        event: (event, apply) => this.#onEvent(event, apply),
        scrub: (message) => this.#onScrub(message.userId, message.position),
        presence: (message) => {
          this.viewers = message.viewers
          this.watchingCount = message.total
          this.#directory.want(message.viewers.map((v) => v.userId))
        },
        error: (message) => {
          if (message.code === 'rate_limited') this.#say(REJECTIONS.rate_limited!)
        },
        status: (status) => this.#onStatus(status),
      },
    })
    this.#scrubSender = new Throttle(SCRUB_FRAME_MS, (position) => this.#connection.scrub(position), browserTimers, () => pageClock.now())
  }

  /** Name and colour of a user (reactive: re-read when profiles arrive). */
  person(userId: string): Person {
    void this.peopleVersion
    return userId === this.me.userId ? this.me : this.#directory.get(userId)
  }

  /** Starts the socket and the sync loop on the page's `<video>`; returns the teardown. */
  attach(video: HTMLVideoElement): () => void {
    this.#video = video
    const onMedia = () => this.#tick()
    for (const name of ['loadedmetadata', 'seeked', 'playing', 'waiting', 'canplay']) {
      video.addEventListener(name, onMedia)
      this.#cleanups.push(() => video.removeEventListener(name, onMedia))
    }
    const onOnline = () => {
      this.#badgeEvent({ type: 'network', online: true })
      this.#connection.retryNow()
    }
    const onOffline = () => this.#badgeEvent({ type: 'network', online: false })
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    this.#cleanups.push(() => {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
    })
    if (!navigator.onLine) onOffline()
    this.#exposeProbe()
    this.#tickTimer = setInterval(() => this.#tick(), TICK_MS)
    this.#connection.start()
    return () => this.destroy()
  }

  destroy(): void {
    clearInterval(this.#tickTimer)
    clearInterval(this.#holdTimer)
    clearTimeout(this.#noticeTimer)
    this.#scrubSender.cancel()
    this.#connection.stop()
    for (const cleanup of this.#cleanups.splice(0)) cleanup()
    this.#video = undefined
  }

  // ---- controls -------------------------------------------------------------------------------

  togglePlay(): void {
    if (this.view.playback.status === 'playing') void this.pause()
    else void this.play()
  }

  play(): Promise<boolean> {
    this.needsClick = false
    // a click is a user gesture: the browser lets the video start now
    this.#video?.play().catch(() => {})
    return this.#control({ type: 'play', position: this.sharedPosition() })
  }

  pause(): Promise<boolean> {
    return this.#control({ type: 'pause', position: this.sharedPosition() })
  }

  seekTo(position: number): Promise<boolean> {
    return this.#control({ type: 'seek', position: this.#clamp(position) })
  }

  seekBy(seconds: number): Promise<boolean> {
    return this.seekTo(this.sharedPosition() + seconds)
  }

  setRate(rate: number): Promise<boolean> {
    return this.#control({ type: 'rate', rate, position: this.sharedPosition() })
  }

  async setControlMode(mode: ControlMode): Promise<boolean> {
    return this.#send({ type: 'controlMode', mode })
  }

  /** Posts a chat message at the current video moment; resolves with an error to show, if any. */
  async sendChat(text: string): Promise<string | undefined> {
    const outcome = await this.#connection.command({ type: 'chat', text, videoPosition: this.#video?.currentTime ?? this.sharedPosition() })
    return outcome.ok ? undefined : rejection(outcome)
  }

  shortcut(action: PlayerShortcut): void {
    if (action === 'toggle-play') this.togglePlay()
    else void this.seekBy(action === 'back' ? -ARROW_STEP_SECONDS : ARROW_STEP_SECONDS)
  }

  /** The viewer drags the timeline: a live preview for everyone, no seek yet. */
  scrubTo(position: number): void {
    if (!this.canControl) return
    const clamped = this.#clamp(position)
    this.dragPosition = clamped
    this.#scrubSender.offer(clamped)
    if (this.#holdTimer === undefined) {
      this.#holdTimer = setInterval(() => {
        if (this.dragPosition !== null) this.#scrubSender.offer(this.dragPosition)
      }, SCRUB_HOLD_MS)
    }
  }

  /** The drag ended: one seek for everyone (none when cancelled). */
  async scrubEnd(commit: boolean): Promise<void> {
    clearInterval(this.#holdTimer)
    this.#holdTimer = undefined
    this.#scrubSender.cancel()
    const position = this.dragPosition
    if (commit && position !== null) await this.seekTo(position)
    this.dragPosition = null
  }

  /** The Auto-sync toggle: drift correction on or off, at once and for this page only. */
  setAutoSync(on: boolean): void {
    this.autoSync = on
    this.engine.setAutoSync(on)
    // the badge and the element's rate change now, not at the next 250 ms tick
    this.#tick()
  }

  /** After the browser refused to autoplay: the click that lets the video start. */
  startAfterClick(): void {
    this.needsClick = false
    this.#video?.play().catch(() => (this.needsClick = true))
  }

  async loadEarlier(): Promise<void> {
    if (this.historyLoading || !this.#log.hasMore) return
    this.historyLoading = true
    try {
      const page = await this.#connection.history(this.#log.nextPageBefore, HISTORY_PAGE)
      this.#directory.want(page.events.map((e) => e.event.by))
      this.#log.addPage(page.events, page.hasMore)
      this.#publishLog()
    } finally {
      this.historyLoading = false
      this.hasMoreHistory = this.#log.hasMore
    }
  }

  /** The replay view shows chat as the video reaches it, so it wants the whole history. */
  async setReplay(on: boolean): Promise<void> {
    this.replay = on
    for (let pages = 0; on && this.#log.hasMore && pages < REPLAY_MAX_PAGES; pages++) await this.loadEarlier()
  }

  /** Where the room's video is now (seconds), by the server's clock. */
  sharedPosition(): number {
    return this.engine.expectedPosition(this.#duration()) ?? this.#video?.currentTime ?? 0
  }

  // ---- socket ---------------------------------------------------------------------------------

  #onWelcome(message: WelcomeMessage, resumed: boolean): void {
    const before = this.engine.playback
    this.view = message.state
    this.#directory.want(message.state.members)
    const playback = message.state.playback
    const unchanged =
      before !== undefined &&
      before.status === playback.status &&
      before.position === playback.position &&
      before.rate === playback.rate &&
      before.at === playback.at
    // A reconnect that finds the room as it left it is no new state: no seek, no restart.
    if (!unchanged) this.engine.onWelcome(message.serverTime, playback)
    if (!resumed && this.#log.nextPageBefore === undefined) void this.loadEarlier()
    this.#tick()
  }

  #onEvent({ revision, event }: RevisionedSessionEvent, apply: boolean): void {
    if (apply) {
      this.view = evolveSession(this.view, event)
      if (PLAYBACK_EVENTS.has(event.type)) this.engine.onPlayback(this.view.playback)
      if (event.type === 'PlaybackSeeked') this.scrubs = this.scrubs.filter((s) => s.userId !== event.by)
      if (event.type === 'ViewerJoined') this.#directory.want([event.data.userId])
    }
    this.#directory.want([event.by])
    if (this.#log.add([{ revision, event }])) this.#publishLog()
    if (apply && PLAYBACK_EVENTS.has(event.type)) {
      this.#tick()
      // tell the room where this player is once it has followed (a seek takes a moment)
      this.#lastReport = { ...this.#lastReport, at: pageClock.now() - REPORT_EVERY_MS + REPORT_AFTER_CHANGE_MS }
    }
  }

  #onScrub(userId: string, position: number): void {
    if (userId === this.me.userId) return
    const seenAt = pageClock.now()
    this.scrubs = [...this.scrubs.filter((s) => s.userId !== userId), { userId, position, seenAt }]
    this.#directory.want([userId])
  }

  #onStatus(status: ConnectionStatus): void {
    if (status.phase === 'open') this.#badgeEvent({ type: 'connected' })
    else if (status.phase === 'retrying') this.#badgeEvent({ type: 'disconnected' })
    else if (status.phase === 'stopped') {
      this.stopped = status.reason
      if (status.reason !== 'closed') this.#badgeEvent({ type: 'disconnected' })
    }
  }

  // ---- sync loop ------------------------------------------------------------------------------

  #tick(): void {
    const video = this.#video
    if (!video) return
    const now = pageClock.now()
    this.currentTime = video.currentTime
    this.duration = this.#duration() ?? 0
    if (this.scrubs.some((s) => now - s.seenAt > SCRUB_MARKER_TTL_MS)) {
      this.scrubs = this.scrubs.filter((s) => now - s.seenAt <= SCRUB_MARKER_TTL_MS)
    }
    if (video.readyState < HAVE_METADATA) return
    const media = snapshotOf(video)
    const decision = this.engine.tick(media, this.#duration())
    if (decision) {
      applyActions(video, decision.actions, (error) => {
        if ((error as { name?: string } | null)?.name === 'NotAllowedError') this.needsClick = true
      })
      this.syncStatus = decision.status
      this.#badgeEvent({ type: 'sync', status: decision.status })
      this.#report(now, media.buffering && this.view.playback.status === 'playing')
    }
    this.#badgeEvent({ type: 'tick' })
  }

  #report(now: number, buffering: boolean): void {
    if (buffering === this.#lastReport.buffering && now - this.#lastReport.at < REPORT_EVERY_MS) return
    if (!this.#connection.isOpen) return
    this.#connection.report(this.#video?.currentTime ?? 0, buffering)
    this.#lastReport = { at: now, buffering }
  }

  #badgeEvent(event: BadgeEvent): void {
    this.#badgeModel = badgeReducer(this.#badgeModel, event, pageClock.now())
    this.badge = this.#badgeModel.shown
  }

  // ---- helpers --------------------------------------------------------------------------------

  async #control(command: ClientCommand): Promise<boolean> {
    if (!this.canControl) {
      this.#say(this.view.status === 'ended' ? REJECTIONS.session_ended! : REJECTIONS.not_host!)
      return false
    }
    return this.#send(command)
  }

  async #send(command: ClientCommand): Promise<boolean> {
    const outcome: CommandOutcome = await this.#connection.command(command)
    if (!outcome.ok && outcome.code !== 'stale') this.#say(rejection(outcome))
    return outcome.ok
  }

  #say(message: string): void {
    this.notice = message
    clearTimeout(this.#noticeTimer)
    this.#noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS)
  }

  #publishLog(): void {
    this.chat = this.#log.chat()
    this.marks = this.#log.marks()
  }

  #duration(): number | undefined {
    const d = this.#video?.duration
    return d !== undefined && Number.isFinite(d) && d > 0 ? d : undefined
  }

  #clamp(position: number): number {
    const duration = this.#duration()
    return Math.max(0, duration === undefined ? position : Math.min(duration, position))
  }

  #meId(): string {
    return this.me.userId
  }

  /**
   * `window.tandemWatch.sample()`: the player's position next to where the shared timeline is by
   * the server's clock. For diagnosing sync in a real browser (the browser tests measure with it).
   */
  #exposeProbe(): void {
    const probe = {
      sample: () => {
        const video = this.#video
        return {
          localNow: pageClock.now(),
          serverNow: this.engine.serverNow(),
          currentTime: video?.currentTime ?? null,
          paused: video?.paused ?? null,
          playbackRate: video?.playbackRate ?? null,
          sessionRate: this.engine.playback?.rate ?? null,
          expected: this.engine.expectedPosition(this.#duration()) ?? null,
          mode: this.engine.mode,
          offsetErrorBound: this.engine.offset.estimate?.errorBound ?? null,
          seekLatency: this.engine.controller.seekLatency,
          stats: { ...this.engine.controller.stats },
        }
      },
    }
    Object.assign(window, { tandemWatch: probe })
    this.#cleanups.push(() => Reflect.deleteProperty(window, 'tandemWatch'))
  }
}

function rejection(outcome: Extract<CommandOutcome, { ok: false }>): string {
  const known = REJECTIONS[outcome.code]
  if (known) return known
  const text = outcome.message || 'That did not work.'
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.')
}
