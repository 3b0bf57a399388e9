import type { Machine } from '../lib/machine.ts'
import type { BenchmarkName, BenchRun } from '../lib/runner.ts'
import type { BenchResult } from '../lib/result.ts'
import { baselineOf, DEFAULT_TOLERANCE, renderBaseline, toleranceOf } from './guard.ts'
import { table, verdict } from './markdown.ts'
import { appendSection, capacitySection, fanoutSection, lateJoinSection, sourceChangeSection, syncSection } from './sections.ts'

const SECTIONS: Array<[BenchmarkName, string, (r: BenchResult) => string]> = [
  ['fanout', '1. Fan-out latency', fanoutSection],
  ['late-join', '2. Late join vs history length', lateJoinSection],
  ['append-throughput', '3. Append throughput', appendSection],
  ['capacity', '4. Capacity', capacitySection],
  ['sync-accuracy', '5. Sync accuracy in two browsers', syncSection],
  ['source-change', '6. Source change in three browsers', sourceChangeSection],
]

export const ANALYSIS_START = '<!-- analysis: written by hand, kept when `make bench` rewrites this page -->'
export const ANALYSIS_END = '<!-- end of analysis -->'
const DEFAULT_ANALYSIS = `## What holds the figures back

(Written by hand after looking at the profiles; \`make bench\` keeps this section.)
`

/** The hand-written analysis of the current page, if any. */
export function keptAnalysis(previous: string | null): string {
  if (!previous) return DEFAULT_ANALYSIS
  const start = previous.indexOf(ANALYSIS_START)
  const end = previous.indexOf(ANALYSIS_END)
  return start >= 0 && end > start ? previous.slice(start + ANALYSIS_START.length, end).trim() + '\n' : DEFAULT_ANALYSIS
}

export function renderBenchmarksDoc(runs: BenchRun[], machine: Machine, totalMs: number, analysis: string): string {
  const byName = new Map(runs.map((r) => [r.name, r]))
  const loads = runs.flatMap((r) => [r.loadBefore, r.loadAfter]).filter(Number.isFinite)
  const summaryRows = SECTIONS.flatMap(([name, title]) => {
    const run = byName.get(name)
    if (!run) return [[title, 'not run', '', '']]
    if (run.error || !run.result) return [[title, 'failed (see the section)', '', '❌']]
    if (run.result.skipped) return [[title, `skipped: ${run.result.skipped}`, '', '–']]
    return run.result.checks.map((c) => [c.label, c.value, c.target, verdict(c.pass)])
  })
  const sections = SECTIONS.map(([name, title, render]) => {
    const run = byName.get(name)
    if (!run) return `## ${title}\n\nNot run this time.\n`
    if (run.error || !run.result) return `## ${title}\n\nThe benchmark failed:\n\n\`\`\`\n${run.error?.slice(-2000)}\n\`\`\`\n`
    if (run.result.skipped) return `## ${title}\n\nSkipped: ${run.result.skipped}.\n`
    const load = Number.isFinite(run.loadBefore) ? `; 1-minute load average ${run.loadBefore.toFixed(1)} at the start, ${run.loadAfter.toFixed(1)} at the end` : ''
    return `${render(run.result)}\n_This run: ${(run.wallMs / 1000).toFixed(0)} s${load}._\n`
  })
  const guarded = runs.flatMap((r) => r.result?.guarded ?? [])
  const guardRows = guarded.map((g) => [
    `\`${g.key}\``,
    g.value.toFixed(3),
    g.better,
    `${Math.round(toleranceOf(g.key) * 100)} %`,
    g.target === undefined ? '–' : `${g.better === 'lower' ? '≤' : '≥'} ${g.target}`,
  ])

  return `# Benchmarks

What Tandem's sync path costs, measured on one machine. On a shared 2-core machine the load
generator competes with the servers, so every target is
a ratio to a baseline measured **in the same run, with the same client harness** (or an amount
of memory, which load does not change). This page is written by \`make bench\`
(\`bench/src/run-all.ts\`); \`make bench-check\` runs the benchmarks again and fails when a guarded
figure regressed beyond its tolerance (bottom of the page). Neither is part of \`make test\`.

Each figure is one script in \`bench/src/\`, runnable alone with its sizes as flags; progress goes
to stderr, figures to stdout, results to \`bench/results/<name>.json\`:

| script | figure |
|---|---|
| \`fanout.ts\` | command → last of N viewers across two replicas, against a bare broadcast server and Syncplay |
| \`late-join.ts\` | time to \`welcome\` and to the first history page at 1,000 … 100,000 events |
| \`append-throughput.ts\` | events/s into the PostgreSQL adapter from 100 sessions, against raw INSERTs |
| \`capacity.ts\` | idle authenticated sockets per GiB of heap |
| \`sync-accuracy.ts\` | spread between two chromium players, drift correction on and off |
| \`source-change.ts\` | skip to the next item → the last of three chromium players playing it, against a seek |

Prerequisites: PostgreSQL on 127.0.0.1:5432 and NATS on 127.0.0.1:4222 (as for the tests),
\`/usr/bin/chromium\` for the browser figures, and \`apt-get install -y syncplay-server\` for the
Syncplay baseline (skipped, and said so, when it is missing).

## The run

| | |
|---|---|
| CPU | ${machine.cpuModel}, ${machine.cores} cores |
| memory | ${machine.memoryGiB} GiB |
| Node.js | ${machine.node} |
| PostgreSQL | ${machine.postgres} |
| kernel | ${machine.kernel} |
| date | ${machine.date} |
| duration | ${(totalMs / 60000).toFixed(1)} min |
| 1-min load average around the benchmarks | ${loads.length ? `${Math.min(...loads).toFixed(1)} – ${Math.max(...loads).toFixed(1)}` : 'not recorded'} |

The machine is shared: other work ran during the benchmarks (the load average above), which is
why every comparison is made within one run and why the tails (p99, max) move more between runs
than the medians.

## Summary

${table(['figure', 'measured', 'target', ''], summaryRows)}

${sections.join('\n')}
${ANALYSIS_START}
${analysis.trim()}
${ANALYSIS_END}

## Regression guard

\`make bench-check\` re-runs every benchmark (or \`--only fanout,late-join\`; \`--no-run\` compares
the results already in \`bench/results/\`) and compares these figures with the block below. It
fails when one is worse than committed by more than its tolerance (${Math.round(DEFAULT_TOLERANCE * 100)} % by default, more for
tails and few-millisecond figures, which the machine's other work moves most) **and**, for a
figure with a design target, also misses that target: on this shared machine the latency ratios
move by more than any useful tolerance between a quiet and a busy hour, so a change is only
called a regression once it costs a target. Memory has no such escape.

${table(['figure', 'committed', 'better', 'tolerance', 'target'], guardRows)}

${renderBaseline(baselineOf(guarded, machine.date))}`
}
