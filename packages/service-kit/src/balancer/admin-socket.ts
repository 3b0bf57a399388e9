import { connect } from 'node:net'

/** Each replica's state (`session-1` → `UP`, `DOWN`, `MAINT`, …) read from HAProxy's admin socket. */
export async function balancerServerStates(adminSocket: string): Promise<Record<string, string>> {
  const csv = await adminCommand(adminSocket, 'show stat')
  const states: Record<string, string> = {}
  for (const line of csv.split('\n')) {
    const [proxy, server, ...rest] = line.split(',')
    if (proxy === 'session-replicas' && server && server !== 'BACKEND') states[server] = rest[15] ?? ''
  }
  return states
}

/**
 * Which replica each client connection is proxied to, from HAProxy's `show sess`: the client's
 * source port (as HAProxy sees it) → the server (`session-1`, …). Connections not yet given a
 * server are left out.
 */
export async function balancerConnections(adminSocket: string): Promise<Map<number, string>> {
  const out = await adminCommand(adminSocket, 'show sess')
  const byPort = new Map<number, string>()
  for (const match of out.matchAll(/ src=\S*:(\d+) fe=\S+ be=session-replicas srv=(\S+)/g)) {
    if (match[2] !== '<none>') byPort.set(Number(match[1]), match[2]!)
  }
  return byPort
}

/** Sends one command to HAProxy's runtime API on its admin socket and returns the whole answer. */
export function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    const socket = connect(socketPath, () => socket.end(`${command}\n`))
    socket.on('data', (d) => (out += d.toString()))
    socket.once('error', reject)
    socket.once('close', () => resolve(out))
  })
}
