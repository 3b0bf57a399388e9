import * as hdr from 'hdr-histogram-js'

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Latencies in milliseconds, recorded in an HDR histogram with microsecond resolution. */
export class LatencyRecorder {
  readonly #histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })

  record(ms: number): void {
    this.#histogram.recordValue(Math.max(1, Math.round(ms * 1000)))
  }

  summary(): LatencySummary {
    const at = (p: number) => this.#histogram.getValueAtPercentile(p) / 1000
    return { count: this.#histogram.totalCount, p50: at(50), p95: at(95), p99: at(99), max: this.#histogram.maxValue / 1000 }
  }
}

export function formatSummary(s: LatencySummary): string {
  const f = (v: number) => v.toFixed(2).padStart(8)
  return `n=${String(s.count).padStart(5)} p50=${f(s.p50)} p95=${f(s.p95)} p99=${f(s.p99)} max=${f(s.max)} ms`
}
