import t from 'tap'
import { REACTIONS, SESSION_LIMITS, type SessionEvent } from '@tandem/contracts'
import { ALICE, HOST, T0, cmd, created, given, joined } from '../fixtures/decider-spec.ts'

/** Rules of reactions: any member, one of the offered emoji, at a position of the video. */

const AT = T0 + 1000
const reacted = (emoji: string, videoPosition: number, by = ALICE): SessionEvent => ({ type: 'ReactionSent', data: { emoji, videoPosition }, at: AT, by })

t.test('any member reacts with one of the offered emoji, even when only the host controls', async (t) => {
  const g = given(t, [created('host'), joined(ALICE)])
  for (const emoji of REACTIONS) g.when(cmd(ALICE, { type: 'react', emoji, videoPosition: 12.5 }, AT)).thenEvents([reacted(emoji, 12.5)])
  g.when(cmd(HOST, { type: 'react', emoji: '🎉', videoPosition: 0 }, AT)).thenEvents([reacted('🎉', 0, HOST)])
})

t.test('a reaction changes nothing the state shows', async (t) => {
  const before = given(t, [created(), joined(ALICE)]).state
  const after = given(t, [created(), joined(ALICE), reacted('🔥', 3)]).state
  t.same({ ...after, revision: before.revision }, before)
})

t.test('a non-member may not react', async (t) => {
  given(t, [created('everyone')]).when(cmd(ALICE, { type: 'react', emoji: '👍', videoPosition: 0 })).thenRejected('not_member')
})

t.test('anything but an offered emoji is refused', async (t) => {
  const g = given(t, [created(), joined(ALICE)])
  for (const emoji of ['', 'x', '👎', '👍👍', '<script>', 42 as never, null as never]) {
    g.when(cmd(ALICE, { type: 'react', emoji, videoPosition: 0 })).thenRejected('invalid_reaction')
  }
})

t.test('the position must be a sane number of seconds', async (t) => {
  const g = given(t, [created(), joined(ALICE)])
  for (const videoPosition of [-1, Number.NaN, Number.POSITIVE_INFINITY, SESSION_LIMITS.maxPosition + 1, '3' as never]) {
    g.when(cmd(ALICE, { type: 'react', emoji: '👍', videoPosition })).thenRejected('invalid_position')
  }
})
