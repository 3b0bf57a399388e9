import t from 'tap'
import { ProfileDirectory, type Person } from '../../src/lib/live/profile-directory.ts'
import { FakeTimers, settle } from '../fixtures/fake-timers.ts'

const person = (userId: string): Person => ({ userId, displayName: `Name of ${userId}`, color: '#123456' })

t.test('unknown ids are loaded in one batch; known and asked-for ids are not asked again', async (t) => {
  const timers = new FakeTimers()
  const requests: string[][] = []
  let changes = 0
  const directory = new ProfileDirectory(
    async (ids) => {
      requests.push(ids)
      return ids.filter((id) => id !== 'ghost').map(person)
    },
    () => changes++,
    timers,
    [person('me')],
  )
  t.same(directory.get('me'), person('me'))
  t.same(directory.get('ada'), { userId: 'ada', displayName: 'Viewer', color: '#64748b' }, 'a placeholder meanwhile')
  directory.want(['ben', 'ada', 'me', 'ghost'])
  directory.want(['ben'])
  timers.advance(50)
  await settle()
  t.same(requests, [['ada', 'ben', 'ghost']])
  t.equal(changes, 1)
  t.same(directory.get('ada'), person('ada'))
  directory.get('ghost')
  timers.advance(1000)
  await settle()
  t.equal(requests.length, 1, 'an id without a profile is not asked for again and again')
})

t.test('more than 100 ids go out in several requests; a failed one is asked again later', async (t) => {
  const timers = new FakeTimers()
  const sizes: number[] = []
  let fail = true
  const directory = new ProfileDirectory(
    async (ids) => {
      sizes.push(ids.length)
      if (fail) throw new Error('unavailable')
      return ids.map(person)
    },
    () => {},
    timers,
  )
  directory.want(Array.from({ length: 150 }, (_, i) => `u${i}`))
  timers.advance(50)
  await settle()
  t.same(sizes, [100, 50])
  fail = false
  directory.want(['u1'])
  timers.advance(50)
  await settle()
  t.same(sizes, [100, 50, 1])
  t.ok(directory.has('u1'))
})
