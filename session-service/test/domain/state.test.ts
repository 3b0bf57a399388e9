import t from 'tap'
import { positionAt } from '@tandem/contracts'
import { evolve, initialState, toView } from '../../src/domain/state.ts'
import type { SessionEvent } from '../../src/domain/events.ts'
import { ALICE, HOST, T0, created, joined } from '../fixtures/decider-spec.ts'

const fold = (events: SessionEvent[]) => events.reduce(evolve, initialState)

t.test('revision counts applied events from 0', async (t) => {
  t.equal(initialState.revision, -1)
  t.equal(evolve(initialState, created()).revision, 0)
  t.equal(fold([created(), joined(ALICE)]).revision, 1)
})

t.test('the creator is the first member and playback starts paused at 0', async (t) => {
  const s = fold([created()])
  t.equal(s.status, 'open')
  if (s.status !== 'open') return
  t.same(s.members, [HOST])
  t.same(s.playback, { status: 'paused', position: 0, rate: 1, at: T0 })
})

t.test('members join once and leave', async (t) => {
  const s = fold([created(), joined(ALICE), joined(ALICE), { type: 'ViewerLeft', data: { userId: HOST }, at: T0 + 3, by: HOST }])
  if (s.status === 'none') return t.fail('no session')
  t.same(s.members, [ALICE])
})

t.test('playback follows play, seek, rate, pause', async (t) => {
  const s = fold([
    created(),
    { type: 'PlaybackStarted', data: { position: 5 }, at: T0 + 1000, by: HOST },
    { type: 'PlaybackSeeked', data: { from: 6, position: 60 }, at: T0 + 2000, by: HOST },
    { type: 'PlaybackRateChanged', data: { rate: 2, position: 61 }, at: T0 + 3000, by: HOST },
  ])
  if (s.status === 'none') return t.fail('no session')
  t.same(s.playback, { status: 'playing', position: 61, rate: 2, at: T0 + 3000 })
  t.equal(positionAt(s.playback, T0 + 4000), 63, 'extrapolates at the current rate')
  const paused = evolve(s, { type: 'PlaybackPaused', data: { position: 63.1 }, at: T0 + 4000, by: HOST })
  if (paused.status === 'none') return t.fail('no session')
  t.same(paused.playback, { status: 'paused', position: 63.1, rate: 2, at: T0 + 4000 })
  t.equal(positionAt(paused.playback, T0 + 99_000), 63.1, 'a paused video stays put')
})

t.test('a new video starts paused at 0 and keeps the rate', async (t) => {
  const s = fold([
    created(),
    { type: 'PlaybackRateChanged', data: { rate: 1.5, position: 0 }, at: T0 + 1, by: HOST },
    { type: 'PlaybackStarted', data: { position: 5 }, at: T0 + 2, by: HOST },
    { type: 'VideoChanged', data: { videoUrl: 'https://example.com/2.mp4' }, at: T0 + 3, by: HOST },
  ])
  if (s.status === 'none') return t.fail('no session')
  t.equal(s.videoUrl, 'https://example.com/2.mp4')
  t.same(s.playback, { status: 'paused', position: 0, rate: 1.5, at: T0 + 3 })
})

t.test('ending freezes playback where it was', async (t) => {
  const s = fold([
    created(),
    { type: 'PlaybackStarted', data: { position: 0 }, at: T0 + 1000, by: HOST },
    { type: 'SessionEnded', data: { reason: 'host' }, at: T0 + 11_000, by: HOST },
  ])
  t.equal(s.status, 'ended')
  if (s.status !== 'ended') return
  t.same(s.playback, { status: 'paused', position: 10, rate: 1, at: T0 + 11_000 })
  t.same(toView('s1', s), {
    id: 's1',
    title: 'Movie night',
    videoUrl: 'https://example.com/v.mp4',
    nowPlaying: { itemId: 'r0', kind: 'url', url: 'https://example.com/v.mp4', title: '', subtitlesUrl: null, file: null, addedBy: HOST },
    queue: [],
    hostId: HOST,
    coHostIds: [],
    controlMode: 'host',
    visibility: 'public',
    membersMayInvite: false,
    status: 'ended',
    members: [HOST],
    playback: { status: 'paused', position: 10, rate: 1, at: T0 + 11_000 },
    createdAt: T0,
    endedAt: T0 + 11_000,
    endReason: 'host',
  })
})

t.test('state survives a JSON round trip (snapshots store it as JSON)', async (t) => {
  const s = fold([created(), joined(ALICE)])
  t.same(JSON.parse(JSON.stringify(s)), s)
})
