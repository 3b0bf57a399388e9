import t from 'tap'
import { createdSession, evolveSession, urlItem, type MediaItem, type SessionEvent, type SessionFields } from '../../src/index.ts'

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
    nowPlaying: { itemId: 'r0', kind: 'url', url: 'https://v.example/a.mp4', title: '', subtitlesUrl: null, file: null, addedBy: 'host' },
    queue: [],
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

t.test('sessions started before visibility existed were public', async (t) => {
  t.equal(created.visibility, 'public')
  const privately = createdSession({
    type: 'SessionCreated',
    data: { title: 'Film', videoUrl: 'https://v.example/a.mp4', hostId: 'host', controlMode: 'host', visibility: 'private', inviteId: 'i1' },
    at,
    by: 'host',
  })
  t.equal(privately.visibility, 'private')
})

t.test('settings, co-hosts and hosts change as the events say', async (t) => {
  const s = given(created).when(
    event({ type: 'ViewerJoined', data: { userId: 'ada' }, at: 2_000 }),
    event({ type: 'ViewerJoined', data: { userId: 'bo' }, at: 2_100 }),
    event({ type: 'VisibilityChanged', data: { visibility: 'private' }, at: 2_200 }),
    event({ type: 'InvitePolicyChanged', data: { membersMayInvite: true }, at: 2_300 }),
    event({ type: 'InviteIssued', data: { inviteId: 'i2', expiresAt: null }, at: 2_350 }),
    event({ type: 'CoHostAdded', data: { userId: 'ada' }, at: 2_400 }),
    event({ type: 'CoHostAdded', data: { userId: 'ada' }, at: 2_450 }),
    event({ type: 'CoHostAdded', data: { userId: 'bo' }, at: 2_500 }),
  )
  t.equal(s.visibility, 'private')
  t.equal(s.membersMayInvite, true)
  t.same(s.coHostIds, ['ada', 'bo'], 'each co-host once')

  const handed = given(s).when(event({ type: 'HostChanged', data: { hostId: 'ada', reason: 'handed_over' }, at: 3_000 }))
  t.equal(handed.hostId, 'ada')
  t.same(handed.coHostIds, ['bo'], 'the new host is no longer a co-host')
  t.same(given(handed).when(event({ type: 'CoHostRemoved', data: { userId: 'bo' }, at: 3_100 })).coHostIds, [])
  t.same(given(s).when(event({ type: 'ViewerLeft', data: { userId: 'bo' }, at: 3_200 })).coHostIds, ['ada'], 'a co-host who leaves is no longer one')
})

t.test('an ended session says why it ended', async (t) => {
  t.equal(given(created).when(event({ type: 'SessionEnded', data: { reason: 'idle' }, at: 5_000, by: 'system' })).endReason, 'idle')
  t.equal(given(created).when(event({ type: 'SessionEnded', data: {}, at: 5_000 })).endReason, 'host', 'ended before reasons existed: by the host')
})

const queued = (itemId: string, title = ''): MediaItem => ({ ...urlItem(itemId, `https://v.example/${itemId}.mp4`, 'host'), title })
const add = (item: MediaItem, index: number, at = 2_000) => event({ type: 'QueueItemAdded', data: { item, index }, at })

t.test('the queue: items are added at their index, moved and removed', async (t) => {
  const s = given(created).when(
    add(queued('r1'), 0),
    add(queued('r2'), 1),
    add(queued('r3'), 0),
    add(queued('r2'), 0, 2_100),
    event({ type: 'QueueReordered', data: { itemId: 'r1', index: 2 }, at: 2_200 }),
    event({ type: 'QueueItemRemoved', data: { itemId: 'r3' }, at: 2_300 }),
  )
  t.same(s.queue.map((i) => i.itemId), ['r2', 'r1'], 'an item added twice (a replayed event) is queued once')
  t.same(s.nowPlaying, created.nowPlaying, 'what plays does not change')
  t.same(s.playback, created.playback)
})

t.test('a VideoChanged with its item: the item plays from 0, playing or paused as it says, and leaves the queue', async (t) => {
  const next = queued('r2', 'Two')
  const base = given(created).when(
    add(queued('r1'), 0),
    add(next, 1),
    event({ type: 'PlaybackRateChanged', data: { rate: 1.5, position: 0 }, at: 2_500 }),
    event({ type: 'PlaybackStarted', data: { position: 40 }, at: 3_000 }),
  )
  const ended = given(base).when(event({ type: 'VideoChanged', data: { videoUrl: next.url, item: next, reason: 'ended', playing: true }, at: 9_000 }))
  t.same(ended.nowPlaying, next)
  t.equal(ended.videoUrl, next.url)
  t.same(ended.queue.map((i) => i.itemId), ['r1'])
  t.same(ended.playback, { status: 'playing', position: 0, rate: 1.5, at: 9_000 })
  const chosen = given(base).when(event({ type: 'VideoChanged', data: { videoUrl: next.url, item: next, reason: 'chosen', playing: false }, at: 9_000 }))
  t.same(chosen.playback, { status: 'paused', position: 0, rate: 1.5, at: 9_000 })
})

t.test('a local file plays with no videoUrl', async (t) => {
  const file: MediaItem = { itemId: 'r1', kind: 'local', url: '', title: '', subtitlesUrl: null, file: { name: 'a.mkv', size: 10, duration: 60 }, addedBy: 'host' }
  const s = given(created).when(event({ type: 'VideoChanged', data: { videoUrl: '', item: file, reason: 'chosen', playing: false }, at: 2_000 }))
  t.equal(s.videoUrl, '')
  t.same(s.nowPlaying, file)
})

t.test('a VideoChanged stored before the queue existed plays its URL, paused, and keeps the queue', async (t) => {
  const s = given(created).when(
    add(queued('r1'), 0),
    event({ type: 'PlaybackStarted', data: { position: 5 }, at: 2_500 }),
    event({ type: 'VideoChanged', data: { videoUrl: 'https://v.example/b.mp4' }, at: 3_000 }),
  )
  t.same(s.nowPlaying, urlItem('at3000', 'https://v.example/b.mp4', 'host'))
  t.same(s.queue.map((i) => i.itemId), ['r1'])
  t.equal(s.playback.status, 'paused')
})

t.test('a reaction changes nothing', async (t) => {
  t.equal(evolveSession(created, event({ type: 'ReactionSent', data: { emoji: '🎉', videoPosition: 3 }, at: 2_000 })), created)
})
