/**
 * `make bench`: runs every benchmark with its default sizes, one process each, and writes
 * docs/benchmarks.md (the figures, the machine, the targets, the regression-guard baseline).
 *
 *   node --import tsx bench/src/run-all.ts [--only fanout,late-join] [--no-docs]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from './lib/flags.ts'
import { describeMachine } from './lib/machine.ts'
import { figure, repoRoot, status } from './lib/output.ts'
import { runBenchmark, selectBenchmarks, storedRun, type BenchRun } from './lib/runner.ts'
import { keptAnalysis, renderBenchmarksDoc } from './report/benchmarks-doc.ts'

const flags = parseFlags('All benchmarks: node --import tsx bench/src/run-all.ts [flags]', {
  only: { default: '', help: 'comma-separated subset (docs are then not written)' },
  'no-docs': { default: false, help: 'do not rewrite docs/benchmarks.md' },
  'from-results': { default: false, help: 'run nothing: rewrite docs/benchmarks.md from bench/results/ (after editing the page generator)' },
})

const docPath = join(repoRoot, 'docs/benchmarks.md')
const started = Date.now()
const machine = await describeMachine()
const runs: BenchRun[] = []
for (const name of selectBenchmarks(flags.only)) runs.push(flags['from-results'] ? storedRun(name) : await runBenchmark(name))
const totalMs = flags['from-results'] ? runs.reduce((sum, r) => sum + r.wallMs, 0) : Date.now() - started
if (flags['from-results'] && runs[0]?.result) machine.date = runs.map((r) => r.result?.startedAt ?? '').sort()[0]!

figure('\n# Summary')
for (const run of runs) {
  if (run.error || !run.result) figure(`${run.name}: FAILED`)
  else if (run.result.skipped) figure(`${run.name}: skipped (${run.result.skipped})`)
  else for (const c of run.result.checks) figure(`${c.pass ? 'met   ' : 'MISSED'} ${c.label}: ${c.value} (target ${c.target})`)
}
figure(`total ${(totalMs / 60000).toFixed(1)} min`)

if (flags.only || flags['no-docs']) {
  status('docs/benchmarks.md not rewritten (a subset was run, or --no-docs)')
} else {
  const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : null
  writeFileSync(docPath, renderBenchmarksDoc(runs, machine, totalMs, keptAnalysis(previous)))
  status(`wrote ${docPath}`)
}
process.exit(runs.some((r) => r.error) ? 1 : 0)
