import { load1 } from './machine.ts'

/** What every benchmark writes to bench/results/<name>.json; run-all turns these into docs/benchmarks.md. */
export interface BenchResult {
  name: string
  title: string
  startedAt: string
  durationMs: number
  /** The sizes and options it ran with. */
  params: Record<string, unknown>
  /** Set when the benchmark could not run here (and why); nothing else is then meaningful. */
  skipped?: string
  /** Free-form figures, for the tables of docs/benchmarks.md. */
  figures: Record<string, unknown>
  /** The comparisons with the targets in docs/benchmarks.md, one per target. */
  checks: Check[]
  /** Numbers that `make bench-check` guards against regressions. */
  guarded: Guarded[]
  /** Lines of explanation for the docs (what holds a figure back, what was done). */
  notes: string[]
  /** The machine's 1-minute load average when the benchmark started and ended (it is shared). */
  loadAverage: { before: number; after: number }
}

export interface Check {
  label: string
  value: string
  target: string
  pass: boolean
}

export interface Guarded {
  /** Stable key, e.g. `fanout.n1000.p50_ratio`. */
  key: string
  value: number
  /** Which way is better. */
  better: 'lower' | 'higher'
  /**
   * The design target for this figure, if it has one: a figure the machine's other work moves
   * a lot counts as regressed only once it also misses this.
   */
  target?: number
}

export function newResult(name: string, title: string, params: Record<string, unknown>): BenchResult {
  return { name, title, startedAt: new Date().toISOString(), durationMs: 0, params, figures: {}, checks: [], guarded: [], notes: [], loadAverage: { before: load1(), after: Number.NaN } }
}

/** Stamps the duration and the load; call just before writing. */
export function finish(result: BenchResult): BenchResult {
  result.durationMs = Date.now() - Date.parse(result.startedAt)
  result.loadAverage.after = load1()
  return result
}
