// Prints the HAProxy configuration of the session balancer, made by service-kit's generator
// (packages/service-kit/src/balancer/haproxy-config.ts), for one way of running Tandem:
//
//   node --import tsx scripts/balancer-config.ts native --bind 127.0.0.1:4003 \
//     --server 127.0.0.1:4103 --server 127.0.0.1:4113 [--admin-socket <path>]
//   node --import tsx scripts/balancer-config.ts compose > deploy/haproxy/haproxy.cfg
//
// native: the fixed replicas of `make up` without Docker (scripts/native/up.sh runs it).
// compose: every replica of `docker compose up --scale session-service=N`, found through Docker's
// DNS; the committed deploy/haproxy/haproxy.cfg is this output (system-test checks it).
import { parseArgs } from 'node:util'
import { haproxyConfig } from '@tandem/service-kit/balancer'

/** Compose's replicas: the service name, its port, and at most this many replicas (`--scale`). */
const composeBackends = { name: 'session-service', port: 4003, maxReplicas: 10, resolver: '127.0.0.11:53' }

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'compose') {
  process.stdout.write(haproxyConfig({ bind: `0.0.0.0:${composeBackends.port}`, backends: { dns: composeBackends } }))
} else if (mode === 'native') {
  const { values } = parseArgs({
    args: rest,
    options: { bind: { type: 'string' }, server: { type: 'string', multiple: true }, 'admin-socket': { type: 'string' } },
  })
  if (!values.bind || !values.server?.length) {
    console.error('usage: balancer-config.ts native --bind host:port --server host:port [--server …] [--admin-socket path]')
    process.exit(2)
  }
  const adminSocket = values['admin-socket']
  process.stdout.write(haproxyConfig({ bind: values.bind, backends: { servers: values.server }, ...(adminSocket ? { adminSocket } : {}) }))
} else {
  console.error('usage: balancer-config.ts native|compose …')
  process.exit(2)
}
