import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

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
}

/** The file as Compose itself resolves it (anchors, merges, defaults) via `docker-compose config`. */
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
const apps = ['auth-service', 'profile-service', 'session-service', 'web']

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
  for (const name of ['auth-service', 'profile-service', 'session-service']) {
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
})

t.test('every service image is built from the workspace root, non-root, production only', async (t) => {
  for (const name of apps) {
    const dockerfile = readFileSync(`${root}${name}/Dockerfile`, 'utf8')
    t.match(dockerfile, /^FROM .* AS /m, `${name}: multi-stage`)
    t.match(dockerfile, /^USER node$/m, `${name}: runs as a non-root user`)
    t.match(dockerfile, /^ENV NODE_ENV=production$/m, `${name}: NODE_ENV=production`)
    t.match(dockerfile, /npm ci --omit=dev/, `${name}: production dependencies only`)
    t.match(dockerfile, /COPY packages\/contracts/, `${name}: includes the shared packages`)
  }
  const raw = parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> }
  for (const name of apps) {
    t.same(raw.services[name]!.build, { context: '.', dockerfile: `${name}/Dockerfile` }, `${name} builds from the root`)
  }
})
