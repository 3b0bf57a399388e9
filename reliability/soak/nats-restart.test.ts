import t from 'tap'
import { natsRestartScenario } from '../test/fixtures/nats-restart-scenario.ts'

t.test('nats-server stopped and started three times mid-session, with registrations during each outage', (t) =>
  natsRestartScenario(t, { writers: 30, watchers: 30, outages: 3, outageMs: 8000, registrationsPerOutage: 5 }),
)
