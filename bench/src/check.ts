/**
 * `make bench-check`: runs the benchmarks again and compares the guarded figures with those
 * committed in docs/benchmarks.md; exits 1 when one regressed beyond its tolerance.
 *
 *   node --import tsx bench/src/check.ts [--only fanout] [--no-run]
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from './lib/flags.ts'
import { figure, repoRoot, resultsDir } from './lib/output.ts'
import type { BenchResult, Guarded } from './lib/result.ts'
import { runBenchmark, selectBenchmarks } from './lib/runner.ts'
import { compare, parseBaseline } from './report/guard.ts'

const flags = parseFlags('Regression check: node --import tsx bench/src/check.ts [flags]', {
  only: { default: '', help: 'comma-separated subset to re-run and compare' },
  'no-run': { default: false, help: 'compare the results already in bench/results/ instead of re-running' },
})

const docPath = join(repoRoot, 'docs/benchmarks.md')
const baseline = existsSync(docPath) ? parseBaseline(readFileSync(docPath, 'utf8')) : null
if (!baseline) {
  figure('docs/benchmarks.md has no baseline block: run `make bench` first')
  process.exit(1)
}

const names = selectBenchmarks(flags.only)
const fresh: Guarded[] = []
let failed = false
for (const name of names) {
  if (flags['no-run']) {
    const file = join(resultsDir, `${name}.json`)
    if (existsSync(file)) fresh.push(...(JSON.parse(readFileSync(file, 'utf8')) as BenchResult).guarded)
    continue
  }
  const run = await runBenchmark(name)
  if (run.error) failed = true
  fresh.push(...(run.result?.guarded ?? []))
}

// Guarded keys start with the name of their benchmark.
const comparisons = compare(baseline, fresh).filter((c) => names.some((name) => c.key.startsWith(`${name}.`)))
figure(`\n# Compared with docs/benchmarks.md (${baseline.generatedAt})`)
for (const c of comparisons) {
  const now = c.now === null ? 'not measured' : c.now.toFixed(3)
  const bound = `${c.better === 'lower' ? '≤' : '≥'} ${c.limit.toFixed(3)}`
  figure(`${c.verdict === 'regressed' ? 'REGRESSED' : c.verdict === 'ok' ? 'ok       ' : 'skipped  '} ${c.key}: ${now} (committed ${c.committed.toFixed(3)}, allowed ${bound})`)
}
const regressed = comparisons.filter((c) => c.verdict === 'regressed')
figure(regressed.length ? `\n${regressed.length} figure(s) regressed` : '\nno regression')
process.exit(regressed.length || failed ? 1 : 0)
