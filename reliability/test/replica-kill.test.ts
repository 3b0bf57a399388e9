import t from 'tap'
import { replicaKillScenario } from './fixtures/replica-kill-scenario.ts'

t.test('kill -9 of a session-service replica while 50 clients send commands through both', (t) =>
  replicaKillScenario(t, { clients: 50, commandsPerClient: 60, kills: 1 }),
)
