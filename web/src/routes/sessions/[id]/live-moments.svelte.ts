import type { SessionEvent } from '@tandem/contracts'
import { Fleeting } from '$lib/live/fleeting.ts'
import { REACTION_FLOAT_MS, floatLane, isLiveEvent } from '$lib/live/reaction-floats.ts'
import { browserTimers } from '$lib/live/timers.ts'

/** How long a line stays in the fullscreen chat overlay, ms (the CSS fade lasts as long). */
export const FEED_LINE_MS = 8_000
const FEED_LINES = 4
/** more than anyone can send within a float's life under the rate limit */
const MAX_FLOATS = 30

export interface ReactionFloat {
  userId: string
  emoji: string
  /** percent from the left of the video */
  lane: number
}

export type FeedLine = { kind: 'chat'; userId: string; text: string } | { kind: 'reaction'; userId: string; emoji: string }

/**
 * What is happening right now, shown for a moment: reactions floating over the video, and the
 * last chat lines and reactions for the fullscreen overlay. Fed with live events only: anything
 * older (history, events replayed after a reconnect) goes to the chat pane alone.
 */
export class LiveMoments {
  floats: { id: number; value: ReactionFloat }[] = $state.raw([])
  feed: { id: number; value: FeedLine }[] = $state.raw([])
  /** the newest reaction, for screen readers */
  latest: ReactionFloat | null = $state(null)
  readonly #floats = new Fleeting<ReactionFloat>({ timers: browserTimers, lifetimeMs: REACTION_FLOAT_MS, limit: MAX_FLOATS, onChange: (items) => (this.floats = items) })
  readonly #feed = new Fleeting<FeedLine>({ timers: browserTimers, lifetimeMs: FEED_LINE_MS, limit: FEED_LINES, onChange: (items) => (this.feed = items) })
  #count = 0

  /** `serverNow`: the server's clock as this page estimates it, ms */
  onEvent(event: SessionEvent, serverNow: number): void {
    if (!isLiveEvent(event.at, serverNow)) return
    if (event.type === 'ReactionSent') {
      const float = { userId: event.by, emoji: event.data.emoji, lane: floatLane(++this.#count) }
      this.#floats.add(float)
      this.latest = float
      this.#feed.add({ kind: 'reaction', userId: event.by, emoji: event.data.emoji })
    } else if (event.type === 'ChatMessagePosted') {
      this.#feed.add({ kind: 'chat', userId: event.by, text: event.data.text })
    }
  }

  destroy(): void {
    this.#floats.clear()
    this.#feed.clear()
  }
}
