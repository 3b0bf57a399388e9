import type { Page } from 'playwright-core'
import { sample } from '../../../web/e2e/watch-support.ts'

export interface SpreadPoint {
  /** seconds since the change that started the phase */
  t: number
  /** |a − b| in ms, b's position moved to a's sampling instant */
  spreadMs: number
  /** each player's position minus where the shared timeline is by its own clock estimate, ms */
  driftA: number
  driftB: number
}

/**
 * Samples both players every `everyMs` for `forMs` after a change: the distance between their
 * `currentTime`s. The pages run on one machine, so `localNow` is one clock and b's reading,
 * taken a few ms after a's, is projected to a's instant with its playback rate.
 */
export async function sampleSpread(a: Page, b: Page, since: number, forMs: number, everyMs: number): Promise<SpreadPoint[]> {
  const points: SpreadPoint[] = []
  while (performance.now() - since < forMs) {
    const [sa, sb] = await Promise.all([sample(a), sample(b)])
    if (sa.currentTime !== null && sb.currentTime !== null) {
      const projectedB = sb.currentTime + ((sa.localNow - sb.localNow) / 1000) * (sb.paused ? 0 : sb.playbackRate)
      points.push({
        t: (performance.now() - since) / 1000,
        spreadMs: Math.abs(sa.currentTime - projectedB) * 1000,
        driftA: (sa.currentTime - (sa.expected ?? Number.NaN)) * 1000,
        driftB: (sb.currentTime - (sb.expected ?? Number.NaN)) * 1000,
      })
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return points
}
