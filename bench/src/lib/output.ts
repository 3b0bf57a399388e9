import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { BenchResult } from './result.ts'

export const benchRoot = fileURLToPath(new URL('../../', import.meta.url))
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const resultsDir = join(benchRoot, 'results')

/** A figure: stdout, so that `> file` keeps only the results. */
export function figure(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** What the benchmark is doing: stderr, beside the progress lines. */
export function status(line: string): void {
  process.stderr.write(`${line}\n`)
}

export function writeResult(result: BenchResult): string {
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${result.name}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  status(`results written to ${file}`)
  return file
}

export const fmt = {
  ms: (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`,
  int: (v: number) => Math.round(v).toLocaleString('en'),
  ratio: (v: number) => `${v.toFixed(2)}×`,
}
