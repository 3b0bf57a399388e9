import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** CPU time (user + system) used so far by process `pid`, in ms, from /proc. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / TICKS_PER_SECOND
}

/**
 * Waits until process `pid` is idle: less than `busyFraction` of one core over `windowMs`
 * (e.g. a replica done rebuilding its lobby from the store). Resolves with the time waited.
 */
export async function waitUntilIdle(pid: number, { windowMs = 300, busyFraction = 0.1, timeoutMs = 120_000 } = {}): Promise<number> {
  const start = performance.now()
  let before = cpuTimeMs(pid)
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs))
    const now = cpuTimeMs(pid)
    if (now - before <= windowMs * busyFraction) return performance.now() - start
    if (performance.now() - start > timeoutMs) throw new Error(`process ${pid} still busy after ${timeoutMs} ms`)
    before = now
  }
}
