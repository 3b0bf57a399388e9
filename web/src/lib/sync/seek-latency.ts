import type { DriftBands } from './drift-bands.ts'

type LatencyBands = Pick<DriftBands, 'initialSeekLatency' | 'maxSeekLatency' | 'seekLatencySamples'>

/**
 * How long the element takes to seek, learned from the landing of each corrective seek: the
 * median of the last few measurements, so one slow seek does not move it.
 */
export class SeekLatency {
  /** the current estimate */
  seconds: number
  readonly #bands: LatencyBands
  readonly #measured: number[] = []

  constructor(bands: LatencyBands) {
    this.#bands = bands
    this.seconds = bands.initialSeekLatency
  }

  /**
   * A seek aimed `seekLatency` ahead lands with drift (estimate − actual latency) × rate, so the
   * drift measured after settling tells what the latency really was.
   */
  learn(drift: number, rate: number): void {
    const b = this.#bands
    const measured = Math.min(b.maxSeekLatency, Math.max(0, this.seconds - drift / rate))
    this.#measured.push(measured)
    if (this.#measured.length > b.seekLatencySamples) this.#measured.shift()
    const votes = [...this.#measured]
    if (votes.length < b.seekLatencySamples) votes.push(b.initialSeekLatency, b.initialSeekLatency)
    const sorted = votes.sort((x, y) => x - y)
    const middle = sorted.length / 2
    this.seconds =
      sorted.length % 2 === 1
        ? (sorted[Math.floor(middle)] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  }
}
