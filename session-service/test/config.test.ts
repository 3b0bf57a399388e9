import t from 'tap'
import { ConfigError } from '@tandem/service-kit'
import { loadSessionConfig } from '../src/config.ts'
import { eventStoreKind } from '../src/event-store/open-event-store.ts'

t.test('defaults', async (t) => {
  const c = loadSessionConfig({})
  t.equal(c.port, 4003)
  t.equal(c.eventStoreUrl, 'postgres://postgres@127.0.0.1:5432/tandem_session')
  t.equal(c.jwksUrl, 'http://127.0.0.1:4001/.well-known/jwks.json')
  t.equal(c.natsNamespace, '')
  t.match(c.replicaId, /^[A-Za-z0-9_.-]+$/)
})

t.test('the event store is chosen by the URL scheme', async (t) => {
  t.equal(loadSessionConfig({ EVENT_STORE_URL: 'esdb://127.0.0.1:2113?tls=false' }).eventStoreUrl, 'esdb://127.0.0.1:2113?tls=false')
  t.equal(eventStoreKind('esdb://127.0.0.1:2113?tls=false'), 'esdb')
  t.equal(eventStoreKind('postgresql://x/y'), 'postgres')
  t.throws(() => loadSessionConfig({ EVENT_STORE_URL: 'mongodb://x' }), ConfigError)
  t.throws(() => eventStoreKind('mysql://x'), /EVENT_STORE_URL must start with postgres:\/\/ or esdb:\/\//)
})

t.test('bad values are named', async (t) => {
  t.throws(() => loadSessionConfig({ PORT: 'eighty' }), /PORT/)
  t.throws(() => loadSessionConfig({ NATS_NAMESPACE: 'a.b' }), /NATS_NAMESPACE/)
  t.equal(loadSessionConfig({ REPLICA_ID: 'replica-2' }).replicaId, 'replica-2')
})

t.test('request limits and socket caps: defaults, overrides, bounds', async (t) => {
  const c = loadSessionConfig({})
  t.same(c.requestLimits, { windowMs: 60_000, reads: 300, membership: 30, creates: 10, unauthenticated: 300 })
  t.equal(c.maxOpenSessionsPerHost, 5)
  t.same(c.socketCaps, { perUserSession: 5, perUser: 20 })
  const tight = loadSessionConfig({ RATE_LIMIT_MEMBERSHIP: '3', MAX_OPEN_SESSIONS_PER_HOST: '2', MAX_SOCKETS_PER_USER: '4' })
  t.same([tight.requestLimits.membership, tight.maxOpenSessionsPerHost, tight.socketCaps.perUser], [3, 2, 4])
  for (const [name, value] of [
    ['RATE_LIMIT_WINDOW_MS', '999'],
    ['RATE_LIMIT_WINDOW_MS', '3600001'],
    ['RATE_LIMIT_READS', '0'],
    ['RATE_LIMIT_MEMBERSHIP', 'many'],
    ['RATE_LIMIT_CREATES', '-1'],
    ['RATE_LIMIT_UNAUTHENTICATED', '100001'],
    ['MAX_OPEN_SESSIONS_PER_HOST', '0'],
    ['MAX_SOCKETS_PER_USER_SESSION', '1001'],
    ['MAX_SOCKETS_PER_USER', '1.5'],
  ]) {
    t.throws(() => loadSessionConfig({ [name!]: value }), new RegExp(name!), `${name}=${value}`)
  }
})

t.test('the linger of a session and the presence intervals: defaults, and a time to live that outlasts two renewals', async (t) => {
  const c = loadSessionConfig({})
  t.equal(c.sessionLingerMs, 5000)
  t.same(c.presence, { announceMs: 10_000, ttlMs: 30_000 })
  t.same(loadSessionConfig({ PRESENCE_ANNOUNCE_MS: '200', PRESENCE_TTL_MS: '1500', SESSION_LINGER_MS: '0' }).presence, { announceMs: 200, ttlMs: 1500 })
  t.throws(() => loadSessionConfig({ PRESENCE_ANNOUNCE_MS: '1000', PRESENCE_TTL_MS: '2000' }), /PRESENCE_TTL_MS/)
  t.throws(() => loadSessionConfig({ SESSION_LINGER_MS: '-1' }), /SESSION_LINGER_MS/)
})
