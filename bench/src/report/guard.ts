import type { Guarded } from '../lib/result.ts'

/**
 * How far a guarded figure may move the wrong way before `make bench-check` fails. Ratios of
 * medians are steady; tails (p99) and figures of a few ms are at the mercy of whatever else the
 * shared machine is doing, so they get more room.
 */
export const DEFAULT_TOLERANCE = 0.25
const TOLERANCES: Array<[RegExp, number]> = [
  [/^fanout\..*(p99|syncplay)/, 0.5],
  [/^late-join\./, 0.5],
  [/^sync-accuracy\./, 1.0],
  [/^source-change\./, 1.0],
]

export function toleranceOf(key: string): number {
  return TOLERANCES.find(([pattern]) => pattern.test(key))?.[1] ?? DEFAULT_TOLERANCE
}

export interface Baseline {
  generatedAt: string
  guarded: Record<string, { value: number; better: Guarded['better']; tolerance: number; target?: number }>
}

export function baselineOf(guarded: Guarded[], generatedAt: string): Baseline {
  return {
    generatedAt,
    guarded: Object.fromEntries(
      guarded.map((g) => [g.key, { value: round(g.value), better: g.better, tolerance: toleranceOf(g.key), ...(g.target === undefined ? {} : { target: g.target }) }]),
    ),
  }
}

export interface Comparison {
  key: string
  committed: number
  now: number | null
  limit: number
  better: Guarded['better']
  verdict: 'ok' | 'regressed' | 'not measured'
}

/**
 * Compares fresh figures with the committed ones. A figure worse than committed by more than its
 * tolerance has regressed, unless it has a design target and still meets it.
 */
export function compare(baseline: Baseline, now: Guarded[]): Comparison[] {
  const fresh = new Map(now.map((g) => [g.key, g.value]))
  return Object.entries(baseline.guarded).map(([key, b]) => {
    const worse = (value: number, than: number) => (b.better === 'lower' ? value > than : value < than)
    const limit = b.better === 'lower' ? b.value * (1 + b.tolerance) : b.value * (1 - b.tolerance)
    const value = fresh.get(key)
    if (value === undefined || !Number.isFinite(value)) return { key, committed: b.value, now: null, limit, better: b.better, verdict: 'not measured' }
    const regressed = worse(value, limit) && (b.target === undefined || worse(value, b.target))
    return { key, committed: b.value, now: value, limit, better: b.better, verdict: regressed ? 'regressed' : 'ok' }
  })
}

const round = (v: number) => Math.round(v * 1000) / 1000

export const BASELINE_START = '<!-- bench-check baseline: the figures `make bench-check` compares with; written by `make bench` -->'

/** The JSON block of docs/benchmarks.md. */
export function renderBaseline(baseline: Baseline): string {
  return `${BASELINE_START}\n\`\`\`json\n${JSON.stringify(baseline, null, 2)}\n\`\`\`\n`
}

export function parseBaseline(markdown: string): Baseline | null {
  const at = markdown.indexOf(BASELINE_START)
  if (at < 0) return null
  const match = /```json\n([\s\S]*?)\n```/.exec(markdown.slice(at))
  return match ? (JSON.parse(match[1]!) as Baseline) : null
}
