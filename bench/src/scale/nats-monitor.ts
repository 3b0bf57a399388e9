import { startChild, type Child } from '../lib/child-process.ts'
import { freePort } from '@tandem/service-kit/testing'

/** One client connection as nats-server's `/connz` reports it. */
export interface ConnectionCounts {
  name: string
  /** Messages the server delivered to this connection. */
  outMsgs: number
  /** Messages this connection published. */
  inMsgs: number
  subscriptions: number
}

export interface MonitoredNats {
  url: string
  pid: number
  /** Every client connection with a name, by name. */
  connections(): Promise<Map<string, ConnectionCounts>>
  stop(): Promise<void>
}

interface Connz {
  connections: Array<{ name?: string; in_msgs: number; out_msgs: number; subscriptions: number }>
}

/**
 * A private nats-server (core NATS, no JetStream: session-service relays over core subjects
 * only) with its monitoring port open, so that the messages each replica received come from the
 * server itself rather than from the replicas' own word.
 */
export async function startMonitoredNats(): Promise<MonitoredNats> {
  const port = await freePort()
  const monitorPort = await freePort()
  const child: Child = startChild('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)])
  await child.waitForLine(/Server is ready/, 10_000)
  const monitor = `http://127.0.0.1:${monitorPort}`
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid,
    async connections() {
      const response = await fetch(`${monitor}/connz?limit=10000`)
      if (!response.ok) throw new Error(`nats-server /connz: ${response.status}`)
      const connz = (await response.json()) as Connz
      const byName = new Map<string, ConnectionCounts>()
      for (const c of connz.connections) {
        if (c.name) byName.set(c.name, { name: c.name, outMsgs: c.out_msgs, inMsgs: c.in_msgs, subscriptions: c.subscriptions })
      }
      return byName
    },
    stop: () => child.stop(),
  }
}
