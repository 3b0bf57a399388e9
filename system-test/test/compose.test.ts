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

/** `20s`, `1m30s`, `500ms` in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 }
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)]
  if (parts.map((p) => p[0]).join('') !== value) throw new Error(`not a Compose duration: ${value}`)
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0)
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
  t.same(Object.keys(compose.services).sort(), [...stores, ...apps].sort(), 'every store and service is there')

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
  const published = (session.ports ?? []).map((p) => String((p as unknown as { published: string }).published))
  t.ok(published.length > 0 && published.every((p) => /^\d+-\d+$/.test(p)), 'session-service publishes a port range, so replicas do not clash')
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

  const ours = readComposeFile(composeFile)
  for (const name of apps) {
    t.same(ours.services[name]!.environment, compose.services[name]!.environment, `the image rehearsal reads ${name}'s environment as Compose does`)
  }
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
