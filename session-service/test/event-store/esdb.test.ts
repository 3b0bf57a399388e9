import t from 'tap'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { eventStoreContract } from '../fixtures/event-store-contract.ts'

// EventStoreDB is not faked: the suite runs only against a real node named by ESDB_URL,
// e.g. ESDB_URL='esdb://127.0.0.1:2113?tls=false'.
const esdbUrl = process.env.ESDB_URL
const skip = esdbUrl ? false : 'ESDB_URL not set: EventStoreDB adapter contract suite skipped'
// Also on stderr, which every tap reporter shows, so that a skipped run is never mistaken for a pass.
if (skip) console.error(skip)

t.test('EventStoreDB adapter contract', { skip }, async (t) => {
  eventStoreContract(t, {
    async connect() {
      const connection = await openEventStore(esdbUrl!)
      return { store: connection.events, snapshots: connection.snapshots, checkpoints: connection.checkpoints, close: () => connection.close() }
    },
  })
})
