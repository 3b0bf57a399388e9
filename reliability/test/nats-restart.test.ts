import t from 'tap'
import { natsRestartScenario } from './fixtures/nats-restart-scenario.ts'

t.test('nats-server stopped and started again mid-session, with registrations during the outage', (t) =>
  natsRestartScenario(t, { writers: 8, watchers: 8, outages: 1, outageMs: 4000, registrationsPerOutage: 3 }),
)
