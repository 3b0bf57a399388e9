import t from 'tap'
import { rollingRestartScenario } from './fixtures/rolling-restart-scenario.ts'

t.test('rolling restart of three session-service replicas behind HAProxy while 30 clients send commands through it', (t) =>
  rollingRestartScenario(t, { clients: 30, replicas: 3, commandsAround: 300 }),
)
