import t from 'tap'
import { RevisionTracker } from '../../src/lib/live/revision-tracker.ts'

t.test('nothing is applied before a welcome', async (t) => {
  const tracker = new RevisionTracker()
  t.equal(tracker.event(0), 'duplicate')
  t.equal(tracker.since, undefined)
})

t.test('after a fresh welcome: the next revision applies, older ones are duplicates, a jump is a gap', async (t) => {
  const tracker = new RevisionTracker()
  tracker.welcome(10, undefined)
  t.equal(tracker.since, 10)
  t.equal(tracker.event(10), 'duplicate')
  t.equal(tracker.event(11), 'apply')
  t.equal(tracker.event(11), 'duplicate')
  t.equal(tracker.event(13), 'gap')
  t.equal(tracker.since, 11, 'a gap does not move the resume point')
  t.equal(tracker.event(12), 'apply')
  t.equal(tracker.stateRevision, 12)
})

t.test('a resumed welcome: events up to its revision are history only, then they apply', async (t) => {
  const tracker = new RevisionTracker()
  tracker.welcome(20, 17)
  t.equal(tracker.since, 17)
  t.equal(tracker.event(18), 'log-only')
  t.equal(tracker.event(20), 'gap', 'the replay must be contiguous too')
  t.equal(tracker.event(19), 'log-only')
  t.equal(tracker.event(20), 'log-only')
  t.equal(tracker.event(21), 'apply')
})

t.test('a since beyond the server revision (the store lost events) does not swallow later ones', async (t) => {
  const tracker = new RevisionTracker()
  tracker.welcome(5, 9)
  t.equal(tracker.since, 5)
  t.equal(tracker.event(6), 'apply')
})
