import { MEDIA_LIMITS, type ClientCommand, type MediaItem, type MediaItemInput } from '@tandem/contracts'
import type { CommandOutcome } from '$lib/live/index.ts'
import { shouldReportEnd } from '$lib/queue/end-report.ts'
import { addParts } from '$lib/queue/playlist-paste.ts'
import type { RoomControls } from './controls.svelte.ts'
import type { LiveRoom } from './live-room.svelte.ts'
import { rejection } from './notices.svelte.ts'
import type { SyncedPlayer } from './player.svelte.ts'

/** how often the page looks whether the shared timeline reached the end of the item (besides `ended`) */
const END_CHECK_MS = 500

/**
 * The shared queue as this page edits it: adding, playing now or next, moving, removing and
 * skipping, each a command to the room (refusals become `status`); and the end of the item
 * playing now, reported once by this page so that the room moves on to the next.
 */
export class RoomQueue {
  /** what the last edit was refused for, or went wrong with (shown in the panel) */
  status: string | null = $state(null)
  /** whether this viewer may change the queue: the control mode's rule, in an open session */
  readonly canEdit: boolean
  readonly #room: LiveRoom
  readonly #player: SyncedPlayer
  /** the items whose end this page reported */
  readonly #reported = new Set<string>()

  constructor(room: LiveRoom, controls: RoomControls, player: SyncedPlayer) {
    this.#room = room
    this.#player = player
    this.canEdit = $derived(controls.canControl)
  }

  get nowPlaying(): MediaItem {
    return this.#room.view.nowPlaying
  }

  get items(): MediaItem[] {
    return this.#room.view.queue
  }

  /** Places left in the queue. */
  get freePlaces(): number {
    return Math.max(0, MEDIA_LIMITS.queueMaxItems - this.items.length)
  }

  /** Adds `items` at the end, or at the front with `next`; resolves with the refusal, if any. */
  async add(items: MediaItemInput[], next = false): Promise<string | undefined> {
    const outcome = await this.#command({ type: 'queueAdd', items, next })
    return outcome.ok ? undefined : rejection(outcome)
  }

  /** Adds many items (a pasted playlist) in parts the room takes one frame at a time. */
  async addMany(items: MediaItemInput[]): Promise<{ added: number; error?: string }> {
    let added = 0
    for (const part of addParts(items)) {
      const error = await this.add(part)
      if (error) return { added, error }
      added += part.length
    }
    return { added }
  }

  playNow(item: MediaItem): Promise<boolean> {
    return this.#edit({ type: 'playItem', itemId: item.itemId })
  }

  playNext(item: MediaItem): Promise<boolean> {
    return this.move(item, 0)
  }

  /** Moves `item` to place `index` of the queue (0 = next). */
  move(item: MediaItem, index: number): Promise<boolean> {
    if (index < 0 || index >= this.items.length || this.items[index]?.itemId === item.itemId) return Promise.resolve(false)
    return this.#edit({ type: 'queueMove', itemId: item.itemId, index })
  }

  remove(item: MediaItem): Promise<boolean> {
    return this.#edit({ type: 'queueRemove', itemId: item.itemId })
  }

  /** "Next": the first queued item plays now. */
  skip(): Promise<boolean> {
    return this.#edit({ type: 'advance', from: this.nowPlaying.itemId, reason: 'skip' })
  }

  /**
   * Tells the room when the item playing now is over: when the page's player fires `ended`
   * (heard while it goes down to the player: `ended` does not bubble), and as the shared
   * timeline reaches the end (a player held at its last frame fires none). Returns the teardown.
   */
  watchEnds(page: Document): () => void {
    const check = () => this.#reportEnd()
    page.addEventListener('ended', check, { capture: true })
    const timer = setInterval(check, END_CHECK_MS)
    return () => {
      clearInterval(timer)
      page.removeEventListener('ended', check, { capture: true })
    }
  }

  #reportEnd(): void {
    const { view } = this.#room
    const item = view.nowPlaying
    const duration = this.#player.knownDuration()
    const playing = view.status === 'open' && view.playback.status === 'playing'
    if (!shouldReportEnd({ playing, duration, sharedPosition: this.#player.sharedPosition(), reported: this.#reported.has(item.itemId) })) return
    this.#reported.add(item.itemId)
    // the room appends nothing if another page's report moved it on first
    void this.#room.connection.command({ type: 'advance', from: item.itemId, reason: 'ended', duration })
  }

  async #edit(command: ClientCommand): Promise<boolean> {
    const outcome = await this.#command(command)
    if (!outcome.ok && outcome.code !== 'stale') this.status = rejection(outcome)
    return outcome.ok
  }

  #command(command: ClientCommand): Promise<CommandOutcome> {
    this.status = null
    return this.#room.connection.command(command)
  }
}
