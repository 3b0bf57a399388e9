import { progress } from '../lib/progress.ts'
import { FanoutRecorder, type FanoutSummary } from './recorder.ts'
import type { FanoutTarget } from './target.ts'

export interface DriveOptions {
  viewers: number
  /** Commands per second to each target, sent on a fixed schedule (not waiting for answers). */
  rate: number
  commands: number
  warmup: number
  /** How long to wait for the last answers after the last command. */
  drainMs?: number
}

/**
 * Connects N viewers to each target, then sends commands at a steady rate and times them. With
 * several targets the commands alternate between them (target k a k-th of an interval after
 * target 0), so that a change in the machine's load during the run hits them all alike and
 * their ratio stays meaningful on a shared machine.
 */
export async function drive(targets: FanoutTarget[], options: DriveOptions): Promise<Record<string, FanoutSummary>> {
  const recorders = targets.map(() => new FanoutRecorder(options.viewers, options.warmup))
  try {
    for (const [k, target] of targets.entries()) await target.connect(options.viewers, recorders[k]!)
    // Let the joins' own traffic (presence, join broadcasts) settle before timing anything.
    await new Promise((r) => setTimeout(r, 1000))
    const total = options.warmup + options.commands
    const interval = 1000 / options.rate
    const label = `${targets.map((t) => t.name).join(' + ')} N=${options.viewers} commands`
    const start = performance.now()
    for (let i = 0; i < total; i++) {
      for (const [k, target] of targets.entries()) {
        const wait = start + (i + k / targets.length) * interval - performance.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        recorders[k]!.sent(i)
        target.send(i)
      }
      progress(label, i + 1, total)
    }
    await Promise.all(recorders.map((r) => r.drain(options.drainMs ?? 10_000)))
  } finally {
    for (const target of targets) await target.close()
  }
  return Object.fromEntries(targets.map((t, k) => [t.name, recorders[k]!.summary()]))
}
