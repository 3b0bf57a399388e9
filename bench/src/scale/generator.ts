/**
 * A load generator process of the scale benchmark (started by generator-pool.ts): opens the
 * sockets it is given at a steady rate through the balancer, speaks the session protocol
 * (hello with a token → welcome), and, once told to, makes each session's sender seek every
 * `intervalMs`. It notes when each command was sent and when the last of its viewers received
 * the resulting event, on the machine's shared clock; the parent merges the processes.
 */
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import type { ServerMessage } from '@tandem/contracts'
import { SERVED_BY_HEADER } from './balancers.ts'
import { commandKey, sharedNow, type GeneratorReply, type GeneratorRequest, type Placement, type ViewerJob } from './generator-messages.ts'

interface Viewer {
  job: ViewerJob
  ws: WebSocket
  server: string
  welcomed: boolean
}

const HELLO_TIMEOUT_MS = 60_000
const OPEN_ATTEMPTS = 5
/** Command ids are unique across runs: a session watched again later must not see its old ids acknowledged as retries. */
const runId = randomUUID().slice(0, 8)

const viewers: Viewer[] = []
const sent = new Map<string, number>()
const receipts = new Map<string, { at: number; count: number }>()
const rejects: Record<string, number> = {}
const closes: Record<string, number> = {}
let acks = 0
let commandTimers: NodeJS.Timeout[] = []
let sessionIds: string[] = []

const reply = (message: GeneratorReply) => process.send!(message)

function onFrame(viewer: Viewer, text: string): void {
  const message = JSON.parse(text) as ServerMessage
  if (message.type === 'event') {
    if (message.event.type !== 'PlaybackSeeked') return
    const key = commandKey(viewer.job.session, message.event.data.position)
    const receipt = receipts.get(key)
    if (receipt) {
      receipt.at = sharedNow()
      receipt.count++
    } else receipts.set(key, { at: sharedNow(), count: 1 })
  } else if (message.type === 'ack') acks++
  else if (message.type === 'reject') rejects[message.code] = (rejects[message.code] ?? 0) + 1
}

function openOne(wsBase: string, job: ViewerJob): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/v1/sessions/${sessionIds[job.session]}/ws`, { perMessageDeflate: false })
    const viewer: Viewer = { job, ws, server: '?', welcomed: false }
    const timer = setTimeout(() => fail(new Error(`no welcome within ${HELLO_TIMEOUT_MS} ms`)), HELLO_TIMEOUT_MS)
    const fail = (err: Error) => {
      clearTimeout(timer)
      ws.terminate()
      reject(err)
    }
    ws.on('upgrade', (response) => (viewer.server = String(response.headers[SERVED_BY_HEADER] ?? '?')))
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: job.token })))
    ws.on('error', (err) => !viewer.welcomed && fail(err))
    ws.on('close', (code) => {
      if (!viewer.welcomed) return fail(new Error(`closed (${code}) before welcome`))
      closes[code] = (closes[code] ?? 0) + 1
    })
    ws.on('message', (data) => {
      const text = data.toString()
      if (viewer.welcomed) return onFrame(viewer, text)
      const message = JSON.parse(text) as ServerMessage
      if (message.type === 'welcome') {
        viewer.welcomed = true
        clearTimeout(timer)
        resolve(viewer)
      } else if (message.type === 'error') fail(new Error(`hello refused: ${message.code} ${message.message}`))
    })
  })
}

/**
 * Opens `perSecond` sockets a second, at most `maxPending` handshakes at a time. A socket that
 * fails to open is tried again after a pause (1 s, 2 s, …), as a client would, up to
 * `OPEN_ATTEMPTS` times.
 */
async function openAll(request: Extract<GeneratorRequest, { type: 'open' }>): Promise<void> {
  sessionIds = request.sessionIds
  let next = 0
  let pending = 0
  let connected = 0
  let failed = 0
  let retried = 0
  let firstError: string | null = null
  const retries: Array<{ job: ViewerJob; attempt: number; at: number }> = []
  const started = performance.now()
  const attempt = (job: ViewerJob, n: number) => {
    pending++
    openOne(request.wsBase, job)
      .then(
        (viewer) => {
          viewers.push(viewer)
          connected++
        },
        (err: Error) => {
          firstError ??= err.message
          if (n >= OPEN_ATTEMPTS) failed++
          else {
            retried++
            retries.push({ job, attempt: n + 1, at: performance.now() + n * 1000 })
          }
        },
      )
      .finally(() => pending--)
  }
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const now = performance.now()
      for (let i = 0; i < retries.length && pending < request.maxPending; ) {
        const retry = retries[i]!
        if (retry.at > now) i++
        else {
          retries.splice(i, 1)
          attempt(retry.job, retry.attempt)
        }
      }
      const due = Math.min(request.jobs.length, Math.floor(((now - started) / 1000) * request.perSecond))
      while (next < due && pending < request.maxPending) attempt(request.jobs[next++]!, 1)
      if (next === request.jobs.length && pending === 0 && retries.length === 0) {
        clearInterval(tick)
        clearInterval(progress)
        done()
      }
    }, 20)
    const progress = setInterval(() => reply({ type: 'progress', connected, failed }), 1000)
  })
  const counts = new Map<string, number>()
  for (const v of viewers) {
    const key = `${v.job.session}\t${v.server}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const placements: Placement[] = [...counts].map(([key, n]) => {
    const [session, server] = key.split('\t')
    return [Number(session), server!, n]
  })
  reply({ type: 'opened', connected, failed, retried, firstError, placements })
}

/** Each sender seeks every `intervalMs`, its first at a random moment of the first interval, to positions 1, 2, 3, … */
function startCommands(intervalMs: number): void {
  const start = performance.now()
  for (const viewer of viewers) {
    if (!viewer.job.sender) continue
    const offset = Math.random() * intervalMs
    let seq = 0
    const sendNext = () => {
      seq++
      if (viewer.ws.readyState === WebSocket.OPEN) {
        sent.set(commandKey(viewer.job.session, seq), sharedNow())
        viewer.ws.send(JSON.stringify({ type: 'command', id: `${runId}-${viewer.job.session}-${seq}`, command: { type: 'seek', position: seq } }))
      }
      // on a fixed schedule: a late timer does not push the following commands back
      commandTimers.push(setTimeout(sendNext, Math.max(0, start + offset + seq * intervalMs - performance.now())))
    }
    commandTimers.push(setTimeout(sendNext, offset))
  }
}

function stopCommands(): void {
  for (const timer of commandTimers) clearTimeout(timer)
  commandTimers = []
}

process.on('message', (request: GeneratorRequest) => {
  switch (request.type) {
    case 'open':
      void openAll(request)
      break
    case 'commands':
      startCommands(request.intervalMs)
      break
    case 'stop-commands':
      stopCommands()
      break
    case 'report':
      reply({ type: 'report', sent: [...sent], receipts: [...receipts].map(([key, r]) => [key, r.at, r.count]), acks, rejects, closes })
      break
    case 'close':
      stopCommands()
      for (const viewer of viewers) viewer.ws.terminate()
      process.exit(0)
  }
})
