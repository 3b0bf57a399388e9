import { LatencyRecorder, type LatencySummary } from '../lib/histogram.ts'

interface Pending {
  sentAt: number
  received: number
  lastAt: number
  /** The last arrival among the viewers of each group (Tandem: of each replica). */
  lastAtByGroup: number[]
  ackedAt: number | null
}

export interface FanoutSummary {
  /** Command sent → the sender's answer (Tandem: `ack`; baselines: the sender's own copy). */
  ack: LatencySummary
  /** Command sent → the last of the N viewers received it. */
  lastViewer: LatencySummary
  /** Every single delivery (command sent → one viewer received it). */
  delivery: LatencySummary
  /** Command sent → the last viewer of each group received it (Tandem: group = replica). */
  lastViewerByGroup: LatencySummary[]
  /** Commands some viewer never received, or never answered, within the timeout. */
  incomplete: number
  /** Of these, commands no viewer received at all (the server dropped them). */
  lost: number
  /** Per timed command: [seconds since the first, ack ms, last viewer ms]. */
  series: Array<[number, number, number]>
}

/**
 * Times each command from the moment it is sent to its answer and to each of the N viewers.
 * The first `warmup` commands are timed but not recorded.
 */
export class FanoutRecorder {
  readonly #pending = new Map<number, Pending>()
  readonly #ack = new LatencyRecorder()
  readonly #lastViewer = new LatencyRecorder()
  readonly #delivery = new LatencyRecorder()
  readonly #lastByGroup: LatencyRecorder[] = []
  #completeWaiters: Array<() => void> = []
  readonly #series: Array<[number, number, number]> = []
  #firstSentAt: number | undefined

  constructor(
    private readonly viewers: number,
    private readonly warmup: number,
  ) {}

  sent(command: number): void {
    const now = performance.now()
    if (command === this.warmup) this.#firstSentAt = now
    this.#pending.set(command, { sentAt: now, received: 0, lastAt: 0, lastAtByGroup: [], ackedAt: null })
  }

  received(command: number, group = 0): void {
    const pending = this.#pending.get(command)
    if (!pending) return
    const now = performance.now()
    pending.received++
    pending.lastAt = now
    pending.lastAtByGroup[group] = now
    if (command >= this.warmup) this.#delivery.record(now - pending.sentAt)
    this.#maybeComplete(command, pending)
  }

  acked(command: number): void {
    const pending = this.#pending.get(command)
    if (!pending || pending.ackedAt !== null) return
    pending.ackedAt = performance.now()
    this.#maybeComplete(command, pending)
  }

  get outstanding(): number {
    return this.#pending.size
  }

  /** Resolves when every command sent so far is complete, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.#pending.size > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.#completeWaiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  summary(): FanoutSummary {
    const incomplete = [...this.#pending.values()]
    return {
      ack: this.#ack.summary(),
      lastViewer: this.#lastViewer.summary(),
      delivery: this.#delivery.summary(),
      lastViewerByGroup: this.#lastByGroup.map((r) => r.summary()),
      incomplete: incomplete.length,
      lost: incomplete.filter((p) => p.received === 0).length,
      series: this.#series.sort((a, b) => a[0] - b[0]),
    }
  }

  #maybeComplete(command: number, pending: Pending): void {
    if (pending.received < this.viewers || pending.ackedAt === null) return
    this.#pending.delete(command)
    if (command >= this.warmup) {
      this.#ack.record(pending.ackedAt - pending.sentAt)
      this.#lastViewer.record(pending.lastAt - pending.sentAt)
      pending.lastAtByGroup.forEach((at, group) => (this.#lastByGroup[group] ??= new LatencyRecorder()).record(at - pending.sentAt))
      const round = (v: number) => Math.round(v * 100) / 100
      this.#series.push([round((pending.sentAt - (this.#firstSentAt ?? pending.sentAt)) / 1000), round(pending.ackedAt - pending.sentAt), round(pending.lastAt - pending.sentAt)])
    }
    for (const wake of this.#completeWaiters.splice(0)) wake()
  }
}
