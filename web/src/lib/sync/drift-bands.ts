import type { SyncTarget } from './sync-decision.ts'

/** Thresholds of the three bands; docs/sync.md explains each value. Drifts in seconds. */
export interface DriftBands {
  /** Drift this small is left alone; above it a nudge starts. */
  nudgeEnter: number
  /** A nudge stops once the drift is below this or has changed sign. */
  nudgeExit: number
  /** A nudge aims to remove the drift within this many seconds (proportional control). */
  nudgeHorizon: number
  /** Smallest and largest relative rate change of a nudge (0.01 = 1 %). */
  minNudge: number
  maxNudge: number
  /** Nudge rates are multiples of this step, so the rate does not change on every tick. */
  nudgeStep: number
  /** Above this drift a hard seek is made (when the seek backoff allows one). */
  seekEnter: number
  /**
   * After a seek that overshot, a seek back needs `seekEnter × repeatSeekFactor ^ seeks so far`
   * (1 turns this protection off).
   */
  repeatSeekFactor: number
  /** After a seek lands or playback starts, watch this long before acting again (ms). */
  settleMs: number
  /** Minimum gap between corrective seeks with no new shared state, doubling per repeat (ms). */
  seekBackoffMs: number
  seekBackoffMaxMs: number
  /** First guess of the element's seek latency (seconds); learned from every seek after. */
  initialSeekLatency: number
  maxSeekLatency: number
  /**
   * The latency estimate is the median of this many recent measurements (robust to one slow
   * seek); until there are that many, the first guess counts as two of them.
   */
  seekLatencySamples: number
  /** While paused, the element is moved to the shared frame if further away than this. */
  pausedTolerance: number
  /** Reported as in sync while within this. */
  inSyncTolerance: number
  /** If play() has not taken effect after this long, it is asked for again (ms). */
  playRetryMs: number
  /** While in sync, the rate trim is re-estimated at least this often (ms). */
  trimIntervalMs: number
}

export const DEFAULT_BANDS: DriftBands = {
  nudgeEnter: 0.02,
  nudgeExit: 0.003,
  nudgeHorizon: 1.5,
  minNudge: 0.01,
  maxNudge: 0.08,
  nudgeStep: 0.0025,
  seekEnter: 0.4,
  repeatSeekFactor: 2,
  settleMs: 250,
  seekBackoffMs: 1000,
  seekBackoffMaxMs: 16_000,
  initialSeekLatency: 0.12,
  maxSeekLatency: 1.0,
  seekLatencySamples: 5,
  pausedTolerance: 0.02,
  inSyncTolerance: 0.05,
  playRetryMs: 2000,
  trimIntervalMs: 20_000,
}

/** Where to seek: ahead of the expected position by the time the seek itself will take. */
export function seekAim(target: SyncTarget, seekLatency: number): number {
  return Math.max(0, target.position + seekLatency * target.rate)
}
