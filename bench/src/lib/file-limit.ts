import { execFileSync, spawnSync } from 'node:child_process'

const RAISED = 'TANDEM_BENCH_FILE_LIMIT_RAISED'

function readLimit(flag: '-n' | '-Hn'): number {
  const out = execFileSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim()
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out)
}

/**
 * Thousands of sockets need thousands of file descriptors, here and in the servers this process
 * starts (they inherit its limit). Node cannot raise its own limit, so when the soft limit is
 * below `needed` and the hard limit allows more, the benchmark runs itself again under a shell
 * that raised it (`ulimit -n`), and exits with that run's status. Returns the limit in force.
 */
export function ensureFileLimit(needed: number): number {
  const soft = readLimit('-n')
  if (soft >= needed) return soft
  const hard = readLimit('-Hn')
  const target = Math.min(needed, hard)
  if (target <= soft || process.env[RAISED]) {
    process.stderr.write(`warning: ulimit -n is ${soft} (hard limit ${hard}); ${needed} descriptors were wanted\n`)
    return soft
  }
  process.stderr.write(`raising the file descriptor limit from ${soft} to ${target}\n`)
  const run = spawnSync('sh', ['-c', `ulimit -n ${target} && exec "$@"`, 'sh', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [RAISED]: '1' },
  })
  process.exit(run.status ?? 1)
}
