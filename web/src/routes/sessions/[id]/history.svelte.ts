import type { HistoryMessage, RevisionedSessionEvent } from '@tandem/contracts'
import { RoomLog, replayVisible, type ChatEntry, type ControlMark, type ReactionEntry } from '$lib/live/index.ts'
import type { People } from './people.svelte.ts'

const HISTORY_PAGE = 200
/** the replay view pages in at most this many history pages */
const REPLAY_MAX_PAGES = 25

export type HistoryPager = (before: number | undefined, limit: number) => Promise<HistoryMessage>

/** The room's chat, control marks and reactions: live events, older pages on demand, and the replay view. */
export class RoomHistory {
  chat: ChatEntry[] = $state.raw([])
  marks: ControlMark[] = $state.raw([])
  reactions: ReactionEntry[] = $state.raw([])
  replay = $state(false)
  loading = $state(false)
  hasMore = $state(true)
  readonly #log = new RoomLog()
  readonly #people: People
  readonly #page: HistoryPager
  /** the chat shown: all of it, or in the replay view what the video has reached */
  readonly visibleChat: ChatEntry[]
  /** reactions in the replay view, as the video reaches them (none in the live view) */
  readonly visibleReactions: ReactionEntry[]

  /** `currentTime`: seconds into the video on this page (reactive) */
  constructor(people: People, page: HistoryPager, currentTime: () => number) {
    this.#people = people
    this.#page = page
    this.visibleChat = $derived(this.replay ? replayVisible(this.chat, currentTime()) : this.chat)
    this.visibleReactions = $derived(this.replay ? replayVisible(this.reactions, currentTime()) : [])
  }

  /** No page has been asked for yet. */
  get untouched(): boolean {
    return this.#log.nextPageBefore === undefined
  }

  add(event: RevisionedSessionEvent): void {
    if (this.#log.add([event])) this.#publish()
  }

  async loadEarlier(): Promise<void> {
    if (this.loading || !this.#log.hasMore) return
    this.loading = true
    try {
      const page = await this.#page(this.#log.nextPageBefore, HISTORY_PAGE)
      this.#people.want(page.events.map((e) => e.event.by))
      this.#log.addPage(page.events, page.hasMore)
      this.#publish()
    } finally {
      this.loading = false
      this.hasMore = this.#log.hasMore
    }
  }

  /** The replay view shows chat as the video reaches it, so it wants the whole history. */
  async setReplay(on: boolean): Promise<void> {
    this.replay = on
    for (let pages = 0; on && this.#log.hasMore && pages < REPLAY_MAX_PAGES; pages++) await this.loadEarlier()
  }

  #publish(): void {
    this.chat = this.#log.chat()
    this.marks = this.#log.marks()
    this.reactions = this.#log.reactions()
  }
}
