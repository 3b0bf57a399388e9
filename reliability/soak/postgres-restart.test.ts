import t from 'tap'
import { postgresRestartScenario } from '../test/fixtures/postgres-restart-scenario.ts'

t.test('PostgreSQL restarted three times under load (clean shutdowns)', (t) =>
  postgresRestartScenario(t, { writers: 30, editors: 4, restarts: 3, outageMs: 5000, stopMode: 'fast' }),
)

t.test('PostgreSQL crashing (immediate stop, WAL recovery) three times under load', (t) =>
  postgresRestartScenario(t, { writers: 30, editors: 4, restarts: 3, outageMs: 5000, stopMode: 'immediate' }),
)
