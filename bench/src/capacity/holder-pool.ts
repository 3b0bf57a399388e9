import { fileURLToPath } from 'node:url'
import { startChild, type Child } from '../lib/child-process.ts'
import { benchRoot } from '../lib/output.ts'
import type { HolderReply, HolderRequest, OpenJob } from './socket-holder.ts'

const holderScript = fileURLToPath(new URL('./socket-holder.ts', import.meta.url))

/** Several socket-holder processes, so that the clients' side spreads over processes (and descriptor limits). */
export class HolderPool {
  private constructor(private readonly holders: Child[]) {}

  static start(count: number): HolderPool {
    return new HolderPool(Array.from({ length: count }, () => startChild(process.execPath, ['--import', 'tsx', holderScript], { cwd: benchRoot, ipc: true })))
  }

  /** Opens the sockets, spread evenly over the holders; resolves with how many opened. */
  async open(jobs: OpenJob[], concurrency: number, onProgress: (opened: number) => void): Promise<{ opened: number; failed: number; firstError: string | null }> {
    const shares = this.holders.map((_, h) => jobs.filter((_, i) => i % this.holders.length === h))
    const progress = this.holders.map(() => 0)
    const replies = await Promise.all(
      this.holders.map(
        (holder, h) =>
          new Promise<Extract<HolderReply, { type: 'opened' }>>((resolve, reject) => {
            const onMessage = (reply: HolderReply) => {
              if (reply.type === 'progress') {
                progress[h] = reply.opened
                onProgress(progress.reduce((a, b) => a + b, 0))
                return
              }
              holder.process.off('message', onMessage)
              resolve(reply)
            }
            holder.process.on('message', onMessage)
            void holder.exited.then((code) => reject(new Error(`socket holder exited (${code}):\n${holder.output()}`)))
            holder.process.send!({ type: 'open', jobs: shares[h]!, concurrency } satisfies HolderRequest)
          }),
      ),
    )
    return {
      opened: replies.reduce((a, r) => a + r.opened, 0),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.holders.map((holder) => holder.closeWith({ type: 'close' } satisfies HolderRequest)))
  }
}
