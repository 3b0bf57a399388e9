/**
 * The nearest-rank percentile: the smallest value such that at least `p` % of the values are
 * less than or equal to it, i.e. the ⌈p/100 · n⌉-th smallest (p50 of [1, 2, 3, 4] is 2, p95 of
 * 20 values the 19th). Always one of the values, never an interpolation between two. `values`
 * need not be sorted; NaN when there are none.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}
