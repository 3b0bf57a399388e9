import { join } from 'node:path'
import { freePort } from '@tandem/service-kit/testing'
import { startChild, type Child } from './child-process.ts'
import { repoRoot } from './output.ts'

export interface ReplicaOptions {
  eventStoreUrl: string
  natsNamespace: string
  jwksUrl: string
  issuer: string
  /** Extra node flags, e.g. `--cpu-prof`, `--max-old-space-size=1024`. */
  nodeArgs?: string[]
  /** Extra environment (e.g. `SNAPSHOT_EVERY`). */
  env?: Record<string, string>
  /** Loads the memory probe (see memory-probe.ts) so that `memory()` works. */
  memoryProbe?: boolean
}

export interface MemorySample {
  heapUsed: number
  heapTotal: number
  rss: number
  external: number
  arrayBuffers: number
}

export interface Replica {
  readonly httpUrl: string
  readonly child: Child
  wsUrl(sessionId: string): string
  /** Memory after two full garbage collections (needs `memoryProbe`). */
  memory(): Promise<MemorySample>
  stop(): Promise<void>
}

const entry = join(repoRoot, 'session-service/src/server.ts')
const probe = new URL('./memory-probe.ts', import.meta.url).href

/** Starts session-service as its own process, as `make up` does, and waits until it is ready. */
export async function startSessionReplica(options: ReplicaOptions): Promise<Replica> {
  const port = await freePort()
  const nodeArgs = [...(options.nodeArgs ?? []), '--import', 'tsx']
  if (options.memoryProbe) nodeArgs.push('--expose-gc', '--import', probe)
  const child = startChild(process.execPath, [...nodeArgs, entry], {
    cwd: repoRoot,
    ipc: options.memoryProbe,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      EVENT_STORE_URL: options.eventStoreUrl,
      NATS_NAMESPACE: options.natsNamespace,
      AUTH_JWKS_URL: options.jwksUrl,
      AUTH_ISSUER: options.issuer,
      ...options.env,
    },
  })
  const httpUrl = `http://127.0.0.1:${port}`
  await waitUntilReady(`${httpUrl}/readyz`, child)
  return {
    httpUrl,
    child,
    wsUrl: (sessionId) => `ws://127.0.0.1:${port}/v1/sessions/${sessionId}/ws`,
    memory: () => askMemory(child),
    stop: () => child.stop(),
  }
}

async function waitUntilReady(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  void child.exited.then(() => (exited = true))
  for (;;) {
    if (exited) throw new Error(`session-service exited while starting:\n${child.output()}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop()
      throw new Error(`session-service not ready within ${timeoutMs} ms:\n${child.output()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

function askMemory(child: Child): Promise<MemorySample> {
  const proc = child.process
  if (!proc.send) return Promise.reject(new Error('start the replica with memoryProbe: true'))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer from the memory probe')), 30_000)
    proc.once('message', (message) => {
      clearTimeout(timer)
      resolve(message as MemorySample)
    })
    proc.send!('memory')
  })
}
