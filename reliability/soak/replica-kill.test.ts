import t from 'tap'
import { replicaKillScenario } from '../test/fixtures/replica-kill-scenario.ts'

t.test('three kill -9s, alternating replicas, while 150 clients send commands', (t) =>
  replicaKillScenario(t, { clients: 150, commandsPerClient: 80, kills: 3 }),
)
