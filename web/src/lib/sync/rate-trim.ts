/**
 * Learns how far the element's real playback speed is from what `playbackRate` says.
 *
 * Media elements run off their own (audio) clock, which is not the server's: a constant error of
 * a few tenths of a percent makes the drift creep away at a steady pace, so without a trim the
 * controller would nudge over and over (a sawtooth between the nudge thresholds). While the
 * element plays untouched, drift samples are fitted with a straight line; its slope is the
 * relative speed error, which the idle rate then compensates.
 */
export interface RateTrimOptions {
  /** samples must span at least this long before a slope is trusted (ms) */
  minSpanMs: number
  minSamples: number
  /** the trim never exceeds this relative correction either way */
  maxTrim: number
  /** weight of a new slope measurement in the trim */
  gain: number
  /** smaller corrections of the trim are not worth a playbackRate change */
  minChange: number
}

export const DEFAULT_RATE_TRIM: RateTrimOptions = {
  minSpanMs: 3000,
  minSamples: 8,
  maxTrim: 0.02,
  gain: 0.7,
  minChange: 0.0002,
}

export class RateTrim {
  readonly options: RateTrimOptions
  #trim = 0
  #n = 0
  #t0 = 0
  #sumT = 0
  #sumD = 0
  #sumTT = 0
  #sumTD = 0
  #lastT = 0

  constructor(options: Partial<RateTrimOptions> = {}) {
    this.options = { ...DEFAULT_RATE_TRIM, ...options }
  }

  /** Relative correction of the idle rate: play at `rate × (1 + trim)`. */
  get trim(): number {
    return this.#trim
  }

  /** How long the current series of samples spans (ms). */
  get spanMs(): number {
    return this.#n === 0 ? 0 : this.#lastT - this.#t0
  }

  /** A drift sample (seconds) at local time `now` (ms), taken while nothing else moves the element. */
  observe(now: number, drift: number): void {
    if (this.#n === 0) this.#t0 = now
    const t = (now - this.#t0) / 1000
    this.#n++
    this.#sumT += t
    this.#sumD += drift
    this.#sumTT += t * t
    this.#sumTD += t * drift
    this.#lastT = now
  }

  /**
   * Folds the slope of the samples so far into the trim (if they are enough to tell) and starts
   * a new series. `rate` is the session rate, `commanded` the playbackRate the element was
   * given during the series relative to it (1 + trim while idle, more or less while nudging).
   */
  update(rate: number, commanded: number): void {
    const o = this.options
    if (this.#n >= o.minSamples && this.#lastT - this.#t0 >= o.minSpanMs) {
      const denominator = this.#n * this.#sumTT - this.#sumT * this.#sumT
      if (denominator > 0) {
        const slope = (this.#n * this.#sumTD - this.#sumT * this.#sumD) / denominator
        // the element moved at rate × commanded × (1 + error); the shared timeline at rate
        const speedError = (1 + slope / rate) / commanded - 1
        const goal = Math.min(o.maxTrim, Math.max(-o.maxTrim, -speedError))
        const next = this.#trim + o.gain * (goal - this.#trim)
        if (Math.abs(next - this.#trim) >= o.minChange) this.#trim = next
      }
    }
    this.discard()
  }

  /** Drops the current series (the element was seeked, nudged, stalled or its rate changed). */
  discard(): void {
    this.#n = 0
    this.#sumT = this.#sumD = this.#sumTT = this.#sumTD = 0
  }
}
