/** How close to its end (seconds, by the shared clock) an item must be before this page reports it ended. */
export const END_REPORT_MARGIN_SECONDS = 0.5

export interface EndCheck {
  /** the shared playback plays */
  playing: boolean
  /** this page's player's length of the item, seconds (undefined until known) */
  duration: number | undefined
  /** where the shared timeline is now, seconds */
  sharedPosition: number
  /** this page reported this item's end already */
  reported: boolean
}

/**
 * Whether this page tells the room that the item playing now is over. The room accepts an end
 * only when its own clock agrees (within a tolerance), so the report waits for the shared
 * timeline rather than a player that ran ahead; each page reports each item once.
 */
export function shouldReportEnd({ playing, duration, sharedPosition, reported }: EndCheck): boolean {
  if (reported || !playing || duration === undefined || !Number.isFinite(duration) || duration <= 0) return false
  return sharedPosition >= duration - END_REPORT_MARGIN_SECONDS
}
