import { fileURLToPath } from 'node:url'
import { startChild, type Child } from '../lib/child-process.ts'
import { benchRoot, status } from '../lib/output.ts'
import type { GeneratorReply, GeneratorRequest, Placement, Receipt, SentCommand, ViewerJob } from './generator-messages.ts'

const script = fileURLToPath(new URL('./generator.ts', import.meta.url))

type Report = Extract<GeneratorReply, { type: 'report' }>

export interface OpenOutcome {
  connected: number
  failed: number
  /** Attempts that failed and were tried again. */
  retried: number
  firstError: string | null
  placements: Placement[]
}

export interface MergedReport {
  sent: SentCommand[]
  receipts: Receipt[][]
  acks: number
  rejects: Record<string, number>
  closes: Record<string, number>
}

/** The load generator processes (generator.ts), each holding a share of the sockets. */
export class GeneratorPool {
  private constructor(private readonly generators: Child[]) {}

  static start(count: number): GeneratorPool {
    return new GeneratorPool(Array.from({ length: count }, () => startChild(process.execPath, ['--import', 'tsx', script], { cwd: benchRoot, ipc: true })))
  }

  get size(): number {
    return this.generators.length
  }

  get pids(): number[] {
    return this.generators.map((g) => g.pid)
  }

  /** Opens `jobs[g]` in generator g, `perSecond` sockets a second in all; shows the connected count on stderr. */
  async open(wsBase: string, sessionIds: string[], jobs: ViewerJob[][], perSecond: number): Promise<OpenOutcome> {
    const total = jobs.reduce((n, j) => n + j.length, 0)
    const progress = this.generators.map(() => ({ connected: 0, failed: 0 }))
    let lastShown = 0
    const show = () => {
      const connected = progress.reduce((n, p) => n + p.connected, 0)
      const failed = progress.reduce((n, p) => n + p.failed, 0)
      if (Date.now() - lastShown < 2000 && connected + failed < total) return
      lastShown = Date.now()
      status(`  sockets connected: ${connected.toLocaleString('en')}/${total.toLocaleString('en')}${failed ? ` (${failed} failed)` : ''}`)
    }
    const replies = await Promise.all(
      this.generators.map((generator, g) =>
        this.#ask(generator, { type: 'open', wsBase, sessionIds, jobs: jobs[g]!, perSecond: perSecond / this.generators.length, maxPending: 100 }, 'opened', (reply) => {
          if (reply.type !== 'progress') return
          progress[g] = reply
          show()
        }),
      ),
    )
    replies.forEach((r, g) => (progress[g] = r))
    lastShown = 0
    show()
    return {
      connected: replies.reduce((n, r) => n + r.connected, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      retried: replies.reduce((n, r) => n + r.retried, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
      placements: replies.flatMap((r) => r.placements),
    }
  }

  startCommands(intervalMs: number): void {
    for (const g of this.generators) g.process.send!({ type: 'commands', intervalMs } satisfies GeneratorRequest)
  }

  stopCommands(): void {
    for (const g of this.generators) g.process.send!({ type: 'stop-commands' } satisfies GeneratorRequest)
  }

  /** Every generator's sends and receipts; `receipts[g]` are generator g's. */
  async report(): Promise<MergedReport> {
    const reports: Report[] = await Promise.all(this.generators.map((g) => this.#ask(g, { type: 'report' }, 'report')))
    const add = (into: Record<string, number>, from: Record<string, number>) => {
      for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
    }
    const merged: MergedReport = { sent: [], receipts: [], acks: 0, rejects: {}, closes: {} }
    for (const r of reports) {
      merged.sent.push(...r.sent)
      merged.receipts.push(r.receipts)
      merged.acks += r.acks
      add(merged.rejects, r.rejects)
      add(merged.closes, r.closes)
    }
    return merged
  }

  async close(): Promise<void> {
    await Promise.all(this.generators.map((g) => g.closeWith({ type: 'close' } satisfies GeneratorRequest)))
  }

  #ask<T extends GeneratorReply['type']>(
    generator: Child,
    request: GeneratorRequest,
    answer: T,
    onOther: (reply: GeneratorReply) => void = () => undefined,
  ): Promise<Extract<GeneratorReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: GeneratorReply) => {
        if (reply.type !== answer) return onOther(reply)
        generator.process.off('message', onMessage)
        resolve(reply as Extract<GeneratorReply, { type: T }>)
      }
      generator.process.on('message', onMessage)
      void generator.exited.then((code) => reject(new Error(`load generator exited (${code}):\n${generator.output()}`)))
      generator.process.send!(request)
    })
  }
}
