/**
 * NTP-style estimate of the offset between this client's clock and the server's.
 *
 * A ping carries the local send time t0; the pong returns t0 with the server's receive (t1)
 * and send (t2) times; t3 is the local receive time. Then
 *   offset = ((t1 − t0) + (t2 − t3)) / 2      (serverTime ≈ localTime + offset)
 *   rtt    = (t3 − t0) − (t2 − t1)            (time on the wire, server work excluded)
 * The offset error of one sample is at most rtt / 2 (all of the asymmetry on one leg), so of the
 * last few samples the one with the lowest round trip is the most trustworthy: queueing delay
 * only ever adds to a round trip.
 *
 * Better still (the default): each sample proves the true offset lies in
 * [t2 − t3, t1 − t0] = [offset − d_back, offset + d_out], whatever the one-way delays were. The
 * intersection of these intervals over the window is bounded by the fastest outbound and the
 * fastest return trip even when they came from different pings, and its midpoint is never
 * further from the truth than the lowest-RTT sample's error bound. docs/sync.md compares both.
 */
export interface PingSample {
  t0: number
  t1: number
  t2: number
  t3: number
}

export interface OffsetEstimate {
  /** serverTime − localTime, ms */
  offset: number
  /** the true offset is within ± this (ms; Infinity for a one-way seed) */
  errorBound: number
}

interface StoredSample {
  offset: number
  rtt: number
  /** local receive time (t3) */
  takenAt: number
}

export type OffsetStrategy = 'intersection' | 'lowest-rtt'

export interface ClockOffsetOptions {
  /** how many recent samples to choose the best from */
  window?: number
  /**
   * Assumed worst relative drift of the two clocks (ms per ms). An old sample's offset may have
   * drifted by this much per ms of age, so it only wins over a fresher one with a clearly lower
   * round trip. 1e-4 = 100 ppm, several times what unsynchronised PC clocks show.
   */
  maxClockDrift?: number
  strategy?: OffsetStrategy
}

export const DEFAULT_OFFSET_WINDOW = 8
export const DEFAULT_MAX_CLOCK_DRIFT = 1e-4

export function sampleOffset(s: PingSample): { offset: number; rtt: number } {
  return {
    offset: (s.t1 - s.t0 + (s.t2 - s.t3)) / 2,
    rtt: s.t3 - s.t0 - (s.t2 - s.t1),
  }
}

export class ClockOffsetEstimator {
  readonly #window: number
  readonly #maxClockDrift: number
  readonly #strategy: OffsetStrategy
  #samples: StoredSample[] = []
  #seed: OffsetEstimate | undefined
  #accepted = 0

  constructor(options: ClockOffsetOptions = {}) {
    this.#window = Math.max(1, options.window ?? DEFAULT_OFFSET_WINDOW)
    this.#maxClockDrift = Math.max(0, options.maxClockDrift ?? DEFAULT_MAX_CLOCK_DRIFT)
    this.#strategy = options.strategy ?? 'intersection'
  }

  /** Adds a ping/pong sample; returns false (and ignores it) if it is impossible. */
  add(sample: PingSample): boolean {
    const values = [sample.t0, sample.t1, sample.t2, sample.t3]
    if (!values.every(Number.isFinite)) return false
    if (sample.t3 < sample.t0 || sample.t2 < sample.t1) return false
    const estimate = sampleOffset(sample)
    if (estimate.rtt < 0) return false
    this.#samples.push({ ...estimate, takenAt: sample.t3 })
    if (this.#samples.length > this.#window) this.#samples.shift()
    this.#accepted++
    return true
  }

  /**
   * A rough first estimate from a one-way server timestamp (the `serverTime` of `welcome`),
   * good to within the one-way delay; any real ping sample replaces it.
   */
  seed(serverTime: number, localReceiveTime: number): void {
    if (Number.isFinite(serverTime) && Number.isFinite(localReceiveTime)) {
      this.#seed = { offset: serverTime - localReceiveTime, errorBound: Number.POSITIVE_INFINITY }
    }
  }

  get estimate(): OffsetEstimate | undefined {
    const latest = this.#samples.at(-1)
    if (latest === undefined) return this.#seed
    // A sample's interval widens with age by what the two clocks may have drifted apart since.
    const halfWidth = (s: StoredSample): number => s.rtt / 2 + (latest.takenAt - s.takenAt) * this.#maxClockDrift
    let best = latest
    let low = Number.NEGATIVE_INFINITY
    let high = Number.POSITIVE_INFINITY
    for (const s of this.#samples) {
      if (halfWidth(s) < halfWidth(best)) best = s
      low = Math.max(low, s.offset - halfWidth(s))
      high = Math.min(high, s.offset + halfWidth(s))
    }
    // An empty intersection means an assumption broke (a clock was stepped, or drifts faster
    // than allowed): fall back to the single most trustworthy sample.
    if (this.#strategy === 'intersection' && low <= high) return { offset: (low + high) / 2, errorBound: (high - low) / 2 }
    return { offset: best.offset, errorBound: halfWidth(best) }
  }

  /** Samples accepted since construction or the last restart (drives the ping schedule). */
  get sampleCount(): number {
    return this.#accepted
  }

  serverNow(localNow: number): number {
    return localNow + (this.estimate?.offset ?? 0)
  }

  /**
   * Start measuring afresh (after a reconnect, maybe to another replica), keeping the current
   * estimate as a stand-in until the first new sample replaces it.
   */
  restart(): void {
    const current = this.estimate
    this.#samples = []
    this.#seed = current && { offset: current.offset, errorBound: Number.POSITIVE_INFINITY }
    this.#accepted = 0
  }
}

export interface PingSchedule {
  /** pings sent quickly one after another while the estimate is young */
  burstCount: number
  burstIntervalMs: number
  /** interval once the estimate has settled */
  steadyIntervalMs: number
}

export const DEFAULT_PING_SCHEDULE: PingSchedule = {
  burstCount: 6,
  burstIntervalMs: 300,
  steadyIntervalMs: 25_000,
}

/** How long to wait before the next ping, given how many samples have been taken so far. */
export function nextPingDelay(samplesTaken: number, schedule: PingSchedule = DEFAULT_PING_SCHEDULE): number {
  if (samplesTaken <= 0) return 0
  return samplesTaken < schedule.burstCount ? schedule.burstIntervalMs : schedule.steadyIntervalMs
}
