/** How long a reaction floats over the video, ms (the CSS animation lasts as long). */
export const REACTION_FLOAT_MS = 2_500

/**
 * An event older than this by the server's clock is not shown as happening now: events replayed
 * after a reconnect, or late, go to the history only.
 */
export const LIVE_EVENT_MAX_AGE_MS = 5_000

/** Whether an event stamped `at` (server ms) is news at `serverNow`. */
export function isLiveEvent(at: number, serverNow: number, maxAgeMs = LIVE_EVENT_MAX_AGE_MS): boolean {
  return serverNow - at <= maxAgeMs
}

/**
 * Where across the video a reaction floats up, percent from the left: spread over 15–85 % by its
 * id, so a burst of reactions does not stack into one column.
 */
export function floatLane(id: number): number {
  // the golden ratio steps through the range without repeating a spot soon
  const fraction = (id * 0.618_033_988_75) % 1
  return Math.round(15 + fraction * 70)
}
