import { readFileSync } from 'node:fs'
import { cpuTimeMs } from '../lib/process-cpu.ts'

/** Resident memory of process `pid` now, in bytes (VmRSS from /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN)
  return kib * 1024
}

export interface Usage {
  /** CPU over the window, in % of one core. */
  cpuPercent: number
  /** Largest resident memory seen during the window, bytes. */
  rssPeak: number
}

/**
 * CPU and memory of a set of processes over a window: CPU time from /proc/<pid>/stat at its two
 * ends, resident memory sampled every second in between (its peak is kept).
 */
export class UsageWindow {
  readonly #cpuAtStart: Map<number, number>
  readonly #rssPeak = new Map<number, number>()
  readonly #startedAt = performance.now()
  readonly #timer: NodeJS.Timeout

  constructor(private readonly pids: number[]) {
    this.#cpuAtStart = new Map(pids.map((pid) => [pid, cpuTimeMs(pid)]))
    const sample = () => {
      for (const pid of pids) this.#rssPeak.set(pid, Math.max(this.#rssPeak.get(pid) ?? 0, rssBytes(pid)))
    }
    sample()
    this.#timer = setInterval(sample, 1000)
  }

  end(): Map<number, Usage> {
    clearInterval(this.#timer)
    const elapsed = performance.now() - this.#startedAt
    return new Map(
      this.pids.map((pid) => [pid, { cpuPercent: ((cpuTimeMs(pid) - this.#cpuAtStart.get(pid)!) / elapsed) * 100, rssPeak: Math.max(this.#rssPeak.get(pid) ?? 0, rssBytes(pid)) }]),
    )
  }
}
