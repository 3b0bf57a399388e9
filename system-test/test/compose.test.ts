import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { readComposeFile } from './fixtures/compose-file.ts'
import { parseDockerfile, parseEnv, stageNamed, stagesBehind, substitute } from './fixtures/dockerfile.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const composeFile = `${root}compose.yaml`

interface ComposeService {
  image?: string
  build?: unknown
  ports?: string[]
  volumes?: string[]
  healthcheck?: { test?: unknown }
  depends_on?: Record<string, { condition: string }>
  environment?: Record<string, string>
  container_name?: string
  restart?: string
  init?: boolean
  stop_grace_period?: string
  stop_signal?: string
}

/**
 * The file as Compose itself resolves it (anchors, merges, defaults) via `docker-compose config`.
 * Users and scripts run Compose v2 (`docker compose`); the v1 `docker-compose` binary is used here
 * only because it validates the file offline, with no Docker engine or CLI plugin.
 */
function resolvedCompose(): { services: Record<string, ComposeService>; volumes: Record<string, unknown> } {
  const out = execFileSync('docker-compose', ['-f', composeFile, 'config'], { cwd: root, encoding: 'utf8' })
  return parse(out)
}

const hasDockerCompose = (() => {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

const stores = ['postgres', 'mongo', 'eventstore', 'nats']
const services = ['auth-service', 'profile-service', 'session-service']
const apps = [...services, 'web']
const balancer = 'haproxy'

/** `20s`, `1m30s`, `500ms` in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 }
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)]
  if (parts.map((p) => p[0]).join('') !== value) throw new Error(`not a Compose duration: ${value}`)
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0)
}

/**
 * How long a session-service replica drains after SIGTERM before closing (DRAIN_DELAY_MS +
 * DRAIN_SPREAD_MS): their defaults in session-service's configuration, or the design's 1.5 s and
 * 3 s where the configuration does not name them.
 */
function sessionDrainMs(): number {
  const source = readFileSync(`${root}session-service/src/config.ts`, 'utf8')
  const defaultOf = (name: string, fallback: number) => {
    const found = new RegExp(`${name}: \\{[^}]*default: ([\\d_]+)`).exec(source)?.[1]
    return found ? Number(found.replaceAll('_', '')) : fallback
  }
  return defaultOf('DRAIN_DELAY_MS', 1500) + defaultOf('DRAIN_SPREAD_MS', 3000)
}

/** How long service-kit's runServer lets a service drain after SIGTERM before it forces the exit. */
function serviceGraceMs(): number {
  const source = readFileSync(`${root}packages/service-kit/src/server.ts`, 'utf8')
  const grace = /delay: opts\.graceMs \?\? ([\d_]+)/.exec(source)?.[1]
  if (!grace) throw new Error('packages/service-kit/src/server.ts no longer reads `delay: opts.graceMs ?? <ms>`; update this test')
  return Number(grace.replaceAll('_', ''))
}

t.test('docker-compose validates compose.yaml', { skip: hasDockerCompose ? false : 'docker-compose not installed (apt-get install docker-compose)' }, async (t) => {
  const compose = resolvedCompose()
  t.same(Object.keys(compose.services).sort(), [...stores, ...apps, balancer].sort(), 'every store and service is there, and the balancer')

  for (const [name, service] of Object.entries(compose.services)) {
    t.ok(service.healthcheck?.test, `${name} has a healthcheck`)
  }
  for (const name of stores) {
    const service = compose.services[name]!
    t.ok(service.volumes?.length, `${name} keeps its data in a volume`)
    t.notOk(service.ports?.length, `${name} publishes no port to the host`)
  }
  for (const name of services) {
    const health = JSON.stringify(compose.services[name]!.healthcheck?.test)
    t.match(health, /\/readyz/, `${name} is healthy only when ready`)
  }
  for (const name of apps) {
    for (const [dep, { condition }] of Object.entries(compose.services[name]!.depends_on ?? {})) {
      t.equal(condition, 'service_healthy', `${name} waits for ${dep} to be healthy`)
    }
  }

  const session = compose.services['session-service']!
  t.notOk(session.container_name, 'session-service has no fixed container name, so it can be scaled')
  t.notOk(session.ports?.length, 'session-service publishes no port: clients reach every replica through the balancer')
  t.ok(compose.services.web!.ports?.length, 'web is published for the browser')
  t.equal(session.environment?.EVENT_STORE_URL?.startsWith('esdb://'), true, 'full deployment uses EventStoreDB')
  t.equal(compose.services['profile-service']!.environment?.PROFILE_STORE_URL?.startsWith('mongodb://'), true, 'and MongoDB')

  for (const [name, service] of Object.entries(compose.services)) {
    t.ok(['unless-stopped', 'always'].includes(service.restart ?? ''), `${name} is restarted after a crash or a reboot`)
  }
  const grace = serviceGraceMs()
  for (const name of apps) {
    const service = compose.services[name]!
    t.equal(service.init, true, `${name} runs under an init that passes signals on`)
    const stop = durationMs(service.stop_grace_period ?? '10s')
    // web's grace is adapter-node's SHUTDOWN_TIMEOUT (seconds, 30 when unset)
    const own = name === 'web' ? Number(service.environment?.SHUTDOWN_TIMEOUT ?? 30) * 1000 : grace
    t.ok(stop > own, `${name}: stop_grace_period ${service.stop_grace_period} outlasts its own ${own / 1000} s shutdown grace`)
  }

  t.ok(
    durationMs(session.stop_grace_period ?? '10s') > sessionDrainMs() + grace,
    `session-service: stop_grace_period ${session.stop_grace_period} outlasts its drain (${sessionDrainMs() / 1000} s) and then its ${grace / 1000} s shutdown grace`,
  )

  const ours = readComposeFile(composeFile)
  for (const name of apps) {
    t.same(ours.services[name]!.environment, compose.services[name]!.environment, `the image rehearsal reads ${name}'s environment as Compose does`)
  }
})

t.test('HAProxy is the public session address, over every session-service replica', { skip: hasDockerCompose ? false : 'docker-compose not installed (apt-get install docker-compose)' }, async (t) => {
  const compose = resolvedCompose()
  const haproxy = compose.services[balancer]!
  t.match(haproxy.image, /^haproxy:2\.\d+$/, 'the official HAProxy image, a 2.x release')
  t.same(
    (haproxy.ports ?? []).map((p) => p as unknown as { published: string | number; target: number }).map((p) => [String(p.published), p.target]),
    [['4003', 4003]],
    'publishes the session port',
  )
  t.same(haproxy.volumes, [`${root}deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro`], 'with the committed configuration, read-only')
  t.same(haproxy.depends_on, { 'session-service': { condition: 'service_healthy' } }, 'starts once a replica is healthy')
  t.match(JSON.stringify(haproxy.healthcheck?.test), /\/readyz/, 'is healthy once a replica answers /readyz through it')
  t.equal(haproxy.stop_signal, 'SIGTERM', 'stops at once rather than waiting for every WebSocket to end')

  const web = compose.services.web!
  t.equal(web.environment?.PUBLIC_SESSION_URL, 'http://localhost:4003', 'browsers reach sessions through the balancer')
  t.equal(web.environment?.SESSION_URL, `http://${balancer}:4003`, 'and so does the web server')
  t.equal(web.depends_on?.[balancer]?.condition, 'service_healthy', 'web starts once the balancer is healthy')

  const config = readFileSync(`${root}deploy/haproxy/haproxy.cfg`, 'utf8')
  const session = compose.services['session-service']!
  t.match(config, new RegExp(`server-template session 1-\\d+ session-service:${session.environment?.PORT} resolvers tandem`), 'finds the replicas by service name and port through Docker’s DNS')
  t.match(config, /nameserver dns 127\.0\.0\.11:53/, 'asks Docker’s embedded DNS')
  t.match(config, /bind 0\.0\.0\.0:4003/, 'listens on the published port')
})

t.test('deploy/haproxy/haproxy.cfg is what the generator makes', async (t) => {
  const generated = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/balancer-config.ts', 'compose'], { cwd: root, encoding: 'utf8' })
  t.equal(readFileSync(`${root}deploy/haproxy/haproxy.cfg`, 'utf8'), generated, 'up to date (node --import tsx scripts/balancer-config.ts compose > deploy/haproxy/haproxy.cfg)')
})

t.test('every image is a target of the root Dockerfile: non-root, production only', async (t) => {
  const dockerfile = parseDockerfile(readFileSync(`${root}Dockerfile`, 'utf8'))
  const raw = parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> }
  for (const name of apps) {
    t.notOk(existsSync(`${root}${name}/Dockerfile`), `${name} has no Dockerfile of its own`)
    const expected = name === 'web' ? { context: '.', target: 'web' } : { context: '.', target: 'service', args: { SERVICE: name } }
    t.same(raw.services[name]!.build, expected, `${name} builds the ${expected.target} target from the root`)

    const stages = stagesBehind(dockerfile, expected.target)
    t.ok(stages.some((s) => s.name === 'manifests'), `${name}: built on the shared manifests stage`)
    for (const stage of stages.filter((s) => !dockerfile.stages.some((d) => d.name === s.from))) {
      t.equal(stage.from, 'node:20.20-bookworm-slim', `${name}: stage ${stage.name} starts from node:20.20-bookworm-slim`)
    }
    const args = { SERVICE: name }
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => substitute(i.args, args)))
    t.ok(runs.some((r) => r.includes(`npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @tandem/${name}`)), `${name}: its own production dependencies only`)
    const final = stageNamed(dockerfile, expected.target).instructions
    const env = Object.assign({}, ...final.filter((i) => i.op === 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>
    t.equal(env.NODE_ENV, 'production', `${name}: NODE_ENV=production`)
    t.equal(final.findLast((i) => i.op === 'USER')?.args, 'node', `${name}: runs as node, not root`)
    const copies = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'COPY' && !i.flags.from).map((i) => i.args))
    t.ok(copies.some((c) => c.startsWith('packages/contracts ')), `${name}: includes the shared packages`)
  }
  const service = stageNamed(dockerfile, 'service')
  t.ok(service.instructions.some((i) => i.op === 'ARG' && i.args === 'SERVICE'), 'the service target takes the service as ARG SERVICE')
  t.match(JSON.stringify(service.instructions.findLast((i) => i.op === 'CMD')?.args), /exec node/, 'its command execs node, so SIGTERM reaches it')
})
