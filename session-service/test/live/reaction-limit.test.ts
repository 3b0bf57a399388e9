import t from 'tap'
import { ReactionLimit } from '../../src/live/reaction-limit.ts'

t.test('at most the limit within any window, per user', async (t) => {
  let now = 0
  const limit = new ReactionLimit(3, 1000, () => now)
  t.equal(limit.take('ada'), true)
  now = 500
  t.same([limit.take('ada'), limit.take('ada'), limit.take('ada')], [true, true, false])
  t.equal(limit.take('bo'), true, 'another user has a count of their own')
  now = 999
  t.equal(limit.take('ada'), false, 'still within the window of the first')
  now = 1000
  t.equal(limit.take('ada'), true, 'the first has left the window')
  t.equal(limit.take('ada'), false, 'the other two have not')
  now = 1500
  t.same([limit.take('ada'), limit.take('ada'), limit.take('ada')], [true, true, false])
})

t.test('refused reactions do not count', async (t) => {
  let now = 0
  const limit = new ReactionLimit(2, 1000, () => now)
  limit.take('ada')
  limit.take('ada')
  for (now = 100; now < 1000; now += 100) t.equal(limit.take('ada'), false)
  now = 1000
  t.same([limit.take('ada'), limit.take('ada'), limit.take('ada')], [true, true, false], 'a steady stream of refusals did not push the window on')
})

t.test('users with nothing in the window are forgotten once there are many', async (t) => {
  let now = 0
  const limit = new ReactionLimit(5, 1000, () => now)
  for (let i = 0; i < 1000; i++) limit.take(`u${i}`)
  now = 5000
  limit.take('late')
  t.equal(limit.size, 1)
})
