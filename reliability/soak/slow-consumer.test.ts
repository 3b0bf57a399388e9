import t from 'tap'
import { slowConsumerScenario } from '../test/fixtures/slow-consumer-scenario.ts'

t.test('100 clients that stop reading cannot grow the server’s memory without bound', (t) =>
  slowConsumerScenario(t, { slowClients: 100, historyRequests: 60 }),
)
