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
  readonly #cpuAtStart = new Map<number, number>()
  readonly #cpuLast = new Map<number, number>()
  readonly #rssPeak = new Map<number, number>()
  readonly #startedAt = performance.now()
  readonly #timer: NodeJS.Timeout

  constructor(private readonly pids: number[]) {
    // a process that exits during the window (a database backend) keeps its last sample
    const sample = () => {
      for (const pid of pids) {
        try {
          const cpu = cpuTimeMs(pid)
          if (!this.#cpuAtStart.has(pid)) this.#cpuAtStart.set(pid, cpu)
          this.#cpuLast.set(pid, cpu)
          this.#rssPeak.set(pid, Math.max(this.#rssPeak.get(pid) ?? 0, rssBytes(pid)))
        } catch {
          // gone
        }
      }
    }
    sample()
    this.#timer = setInterval(sample, 1000)
    this.sample = sample
  }

  private readonly sample: () => void

  end(): Map<number, Usage> {
    clearInterval(this.#timer)
    this.sample()
    const elapsed = performance.now() - this.#startedAt
    return new Map(
      this.pids.map((pid) => [pid, { cpuPercent: (((this.#cpuLast.get(pid) ?? 0) - (this.#cpuAtStart.get(pid) ?? 0)) / elapsed) * 100, rssPeak: this.#rssPeak.get(pid) ?? 0 }]),
    )
  }
}
