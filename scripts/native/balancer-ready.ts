// Waits until HAProxy, the session balancer of native mode, has every replica UP (a replica that
// started after HAProxy's first health check needs two good checks to join), so that `make up`
// returns with all of them in the pool. Reads HAProxy's admin socket.
//
//   node --import tsx scripts/native/balancer-ready.ts <admin socket> [timeout seconds, default 30]
import { balancerServerStates } from '@tandem/service-kit/balancer'

const [socket, timeoutSeconds = '30'] = process.argv.slice(2)
if (!socket) {
  console.error('usage: balancer-ready.ts <admin socket> [timeout seconds]')
  process.exit(2)
}
const deadline = Date.now() + Number(timeoutSeconds) * 1000
let states: Record<string, string> = {}
while (Date.now() < deadline) {
  states = await balancerServerStates(socket).catch(() => ({}))
  const all = Object.values(states)
  if (all.length > 0 && all.every((state) => state === 'UP')) process.exit(0)
  await new Promise((resolve) => setTimeout(resolve, 200))
}
console.error(`the balancer does not have every replica up after ${timeoutSeconds} s: ${JSON.stringify(states)}`)
process.exit(1)
