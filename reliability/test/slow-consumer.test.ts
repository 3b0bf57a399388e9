import t from 'tap'
import { slowConsumerScenario } from './fixtures/slow-consumer-scenario.ts'

t.test('clients that stop reading cannot grow the server’s memory without bound', (t) =>
  slowConsumerScenario(t, { slowClients: 20, historyRequests: 60 }),
)
