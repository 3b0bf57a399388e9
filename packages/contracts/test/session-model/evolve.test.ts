import t from 'tap'
import { createdSession, evolveSession, type SessionEvent, type SessionFields } from '../../src/index.ts'

const at = 1_000
const created = createdSession({
  type: 'SessionCreated',
  data: { title: 'Film', videoUrl: 'https://v.example/a.mp4', hostId: 'host', controlMode: 'host' },
  at,
  by: 'host',
})

/** given a session, when these events happen, then this is the session */
function given(session: SessionFields) {
  return { when: (...events: SessionEvent[]) => events.reduce((s, e) => evolveSession(s, e), session) }
}
const event = <E extends SessionEvent>(e: Omit<E, 'by'> & { by?: string }) => ({ by: 'host', ...e }) as SessionEvent

t.test('a new session is paused at 0 with the host as its only member', async (t) => {
  t.same(created, {
    title: 'Film',
    videoUrl: 'https://v.example/a.mp4',
    hostId: 'host',
    coHostIds: [],
    controlMode: 'host',
    visibility: 'public',
    membersMayInvite: false,
    status: 'open',
    members: ['host'],
    playback: { status: 'paused', position: 0, rate: 1, at },
    createdAt: at,
    endedAt: null,
    endReason: null,
  })
})

t.test('members join once, in order, and leave', async (t) => {
  const s = given(created).when(
    event({ type: 'ViewerJoined', data: { userId: 'ada' }, at: 2_000 }),
    event({ type: 'ViewerJoined', data: { userId: 'ada' }, at: 2_500 }),
    event({ type: 'ViewerJoined', data: { userId: 'bo' }, at: 3_000 }),
    event({ type: 'ViewerLeft', data: { userId: 'host' }, at: 4_000 }),
  )
  t.same(s.members, ['ada', 'bo'])
})

t.test('playback events set status, position, rate and the time they happened', async (t) => {
  const s = given(created).when(
    event({ type: 'PlaybackStarted', data: { position: 5 }, at: 2_000 }),
    event({ type: 'PlaybackRateChanged', data: { rate: 1.5, position: 7 }, at: 4_000 }),
    event({ type: 'PlaybackSeeked', data: { from: 7, position: 30 }, at: 5_000 }),
  )
  t.same(s.playback, { status: 'playing', position: 30, rate: 1.5, at: 5_000 })
  const paused = given(s).when(event({ type: 'PlaybackPaused', data: { position: 31 }, at: 6_000 }))
  t.same(paused.playback, { status: 'paused', position: 31, rate: 1.5, at: 6_000 })
})

t.test('a new video starts paused at 0 and keeps the rate', async (t) => {
  const s = given(created).when(
    event({ type: 'PlaybackRateChanged', data: { rate: 2, position: 3 }, at: 2_000 }),
    event({ type: 'VideoChanged', data: { videoUrl: 'https://v.example/b.mp4' }, at: 3_000 }),
  )
  t.equal(s.videoUrl, 'https://v.example/b.mp4')
  t.same(s.playback, { status: 'paused', position: 0, rate: 2, at: 3_000 })
})

t.test('chat and a repeated SessionCreated change nothing; the control mode changes', async (t) => {
  const chat = event({ type: 'ChatMessagePosted', data: { messageId: 'm', text: 'hi', videoPosition: 0 }, at: 2_000 })
  t.equal(evolveSession(created, chat), created)
  t.equal(evolveSession(created, event({ type: 'SessionCreated', data: { title: 'x', videoUrl: 'https://x.example/', hostId: 'x', controlMode: 'everyone' }, at })), created)
  t.equal(given(created).when(event({ type: 'ControlModeChanged', data: { mode: 'everyone' }, at: 2_000 })).controlMode, 'everyone')
})

t.test('ending pauses the video where it had got to', async (t) => {
  const s = given(created).when(
    event({ type: 'PlaybackStarted', data: { position: 10 }, at: 2_000 }),
    event({ type: 'SessionEnded', data: {}, at: 6_000 }),
  )
  t.equal(s.status, 'ended')
  t.equal(s.endedAt, 6_000)
  t.same(s.playback, { status: 'paused', position: 14, rate: 1, at: 6_000 })
})

t.test('extra fields of the holder (a revision, an id) are kept', async (t) => {
  const s = evolveSession({ ...created, id: 's1' }, event({ type: 'ViewerJoined', data: { userId: 'ada' }, at: 2_000 }))
  t.equal(s.id, 's1')
})
