import t from 'tap'
import { rollingRestartScenario } from '../test/fixtures/rolling-restart-scenario.ts'

t.test('two rounds of rolling restarts of three replicas behind HAProxy while 300 clients send commands through it', (t) =>
  rollingRestartScenario(t, { clients: 300, replicas: 3, rounds: 2, commandsAround: 3000, pauseMs: [200, 800] }),
)
