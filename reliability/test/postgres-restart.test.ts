import t from 'tap'
import { postgresRestartScenario } from './fixtures/postgres-restart-scenario.ts'

t.test('PostgreSQL restarted under load (native mode: every service on one private cluster)', (t) =>
  postgresRestartScenario(t, { writers: 8, editors: 2, restarts: 1, outageMs: 4000, stopMode: 'fast' }),
)
