/**
 * A client process for the capacity figure: opens the sockets it is told to over IPC, says
 * hello on each, keeps them open and idle, and reports back. Started by capacity.ts.
 *
 *   → {type:'open', jobs:[{url, token}], concurrency}   ← {type:'opened', opened, failed, firstError}
 *   → {type:'close'}                                      (closes every socket and exits)
 */
import { SessionSocket } from '@tandem/service-kit/testing'

export interface OpenJob {
  url: string
  token: string
}

export type HolderRequest = { type: 'open'; jobs: OpenJob[]; concurrency: number } | { type: 'close' }
export type HolderReply = { type: 'opened'; opened: number; failed: number; firstError: string | null } | { type: 'progress'; opened: number }

const sockets: SessionSocket[] = []
const send = (reply: HolderReply) => process.send!(reply)

async function openAll(jobs: OpenJob[], concurrency: number): Promise<void> {
  let next = 0
  let opened = 0
  let failed = 0
  let firstError: string | null = null
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!
      try {
        // Idle from here on: frames the server may still send (presence) are read and dropped.
        const { socket } = await SessionSocket.join(job.url, job.token, undefined, { record: false, timeoutMs: 30_000 })
        sockets.push(socket)
        if (++opened % 500 === 0) send({ type: 'progress', opened })
      } catch (err) {
        failed++
        firstError ??= String(err)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  send({ type: 'opened', opened, failed, firstError })
}

process.on('message', (request: HolderRequest) => {
  if (request.type === 'open') void openAll(request.jobs, request.concurrency)
  else {
    for (const socket of sockets) socket.ws.terminate()
    process.exit(0)
  }
})
