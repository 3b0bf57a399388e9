import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startChild } from './child-process.ts'
import { load1 } from './machine.ts'
import { benchRoot, repoRoot, resultsDir, status } from './output.ts'
import type { BenchResult } from './result.ts'

/** Every benchmark, in the order `make bench` runs them (the browser figures last). */
export const BENCHMARKS = ['append-throughput', 'late-join', 'capacity', 'fanout', 'sync-accuracy', 'source-change'] as const
export type BenchmarkName = (typeof BENCHMARKS)[number]

export interface BenchRun {
  name: BenchmarkName
  result: BenchResult | null
  /** Set when the script failed; the last lines it printed. */
  error: string | null
  wallMs: number
  loadBefore: number
  loadAfter: number
}

/**
 * Runs one benchmark script in its own process with its default sizes (plus `args`): its
 * figures and progress go to this terminal, its results are read back from bench/results.
 */
export async function runBenchmark(name: BenchmarkName, args: string[] = []): Promise<BenchRun> {
  const started = Date.now()
  const loadBefore = load1()
  status(`\n▶ ${name} (load average ${loadBefore})`)
  const child = startChild(process.execPath, ['--import', 'tsx', join(benchRoot, 'src', `${name}.ts`), ...args], { cwd: repoRoot })
  child.process.stdout?.pipe(process.stdout)
  child.process.stderr?.pipe(process.stderr)
  const code = await child.exited
  const wallMs = Date.now() - started
  const file = join(resultsDir, `${name}.json`)
  const fresh = existsSync(file) && statSync(file).mtimeMs >= started
  const result = fresh ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult) : null
  const error = code === 0 && result ? null : `exited with ${code}${result ? '' : ', no results written'}:\n${child.output()}`
  status(`■ ${name}: ${error ? 'FAILED' : 'done'} in ${(wallMs / 1000).toFixed(0)} s`)
  return { name, result, error, wallMs, loadBefore, loadAfter: load1() }
}

/** A benchmark's last results as they are in bench/results/. */
export function storedRun(name: BenchmarkName): BenchRun {
  const file = join(resultsDir, `${name}.json`)
  const result = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult) : null
  return {
    name,
    result,
    error: result ? null : `no results in ${file}`,
    wallMs: result?.durationMs ?? 0,
    loadBefore: result?.loadAverage?.before ?? Number.NaN,
    loadAfter: result?.loadAverage?.after ?? Number.NaN,
  }
}

export function selectBenchmarks(only: string): BenchmarkName[] {
  if (!only) return [...BENCHMARKS]
  const wanted = only.split(',').map((s) => s.trim())
  for (const w of wanted) if (!(BENCHMARKS as readonly string[]).includes(w)) throw new Error(`unknown benchmark "${w}"; known: ${BENCHMARKS.join(', ')}`)
  return BENCHMARKS.filter((b) => wanted.includes(b))
}
