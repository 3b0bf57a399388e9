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
