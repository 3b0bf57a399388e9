import t from 'tap'
import { AppendBatcher } from '../../../src/event-store/postgres/append-batcher.ts'

/** A write whose batches stay open until the test settles them. */
function heldWrites() {
  const batches: Array<{ items: number[]; settle(results: Array<PromiseSettledResult<string>>): void; fail(err: Error): void }> = []
  const write = (items: number[]) =>
    new Promise<Array<PromiseSettledResult<string>>>((resolve, reject) => {
      batches.push({ items, settle: resolve, fail: reject })
    })
  const ok = (items: number[]): Array<PromiseSettledResult<string>> => items.map((i) => ({ status: 'fulfilled', value: `wrote ${i}` }))
  return { batches, write, ok }
}

const tick = () => new Promise((r) => setImmediate(r))

t.test('an item alone is written at once, in a batch of its own', async (t) => {
  const held = heldWrites()
  const batcher = new AppendBatcher(held.write, { maxInFlight: 2, maxBatch: 10 })
  const one = batcher.submit(1)
  t.same(held.batches.map((b) => b.items), [[1]], 'written without waiting for company')
  held.batches[0]!.settle(held.ok([1]))
  t.equal(await one, 'wrote 1')
})

t.test('items arriving while the writes are busy share the next write, in order', async (t) => {
  const held = heldWrites()
  const batcher = new AppendBatcher(held.write, { maxInFlight: 2, maxBatch: 3 })
  const results = [1, 2, 3, 4, 5, 6, 7].map((i) => batcher.submit(i))
  t.same(held.batches.map((b) => b.items), [[1], [2]], 'two writes at once, then the others wait')
  held.batches[0]!.settle(held.ok([1]))
  await tick()
  t.same(held.batches.map((b) => b.items), [[1], [2], [3, 4, 5]], 'the next write takes what waited, up to maxBatch')
  held.batches[1]!.settle(held.ok([2]))
  await tick()
  t.same(held.batches[3]!.items, [6, 7])
  held.batches[2]!.settle(held.ok([3, 4, 5]))
  held.batches[3]!.settle(held.ok([6, 7]))
  t.same(await Promise.all(results), [1, 2, 3, 4, 5, 6, 7].map((i) => `wrote ${i}`), 'each item gets its own result')
})

t.test('an item refused in a batch fails alone; a failed write fails its batch only', async (t) => {
  const held = heldWrites()
  const batcher = new AppendBatcher(held.write, { maxInFlight: 1, maxBatch: 10 })
  const first = batcher.submit(1)
  const [second, third] = [batcher.submit(2), batcher.submit(3)]
  held.batches[0]!.fail(new Error('connection lost'))
  await t.rejects(first, /connection lost/)
  await tick()
  held.batches[1]!.settle([
    { status: 'rejected', reason: new Error('refused 2') },
    { status: 'fulfilled', value: 'wrote 3' },
  ])
  await t.rejects(second, /refused 2/)
  t.equal(await third, 'wrote 3')
  const later = batcher.submit(4)
  t.equal(held.batches.length, 3, 'the batcher goes on after failures')
  held.batches[2]!.settle(held.ok([4]))
  t.equal(await later, 'wrote 4')
})

t.test('a write that answers for the wrong number of items fails its batch', async (t) => {
  const batcher = new AppendBatcher<number, string>(async () => [], { maxInFlight: 1, maxBatch: 10 })
  await t.rejects(batcher.submit(1), /a batch of 1 returned 0 results/)
})

t.test('limits below 1 are refused', async (t) => {
  const held = heldWrites()
  t.throws(() => new AppendBatcher(held.write, { maxInFlight: 0, maxBatch: 10 }), /at least 1/)
  t.throws(() => new AppendBatcher(held.write, { maxInFlight: 1, maxBatch: 0 }), /at least 1/)
})
