import t from 'tap'
import { evolveView, mayControl, positionAt } from '../../src/lib/live/session-view.ts'
import { GUEST, HOST, paused, played, seeked, sessionView } from '../fixtures/session-frames.ts'

t.test('playback events move the shared playback like the server does', async (t) => {
  let view = sessionView()
  view = evolveView(view, played(10, 2_000))
  t.same(view.playback, { status: 'playing', position: 10, rate: 1, at: 2_000 })
  t.equal(positionAt(view.playback, 4_000), 12)
  view = evolveView(view, { type: 'PlaybackRateChanged', data: { rate: 2, position: 12 }, at: 4_000, by: HOST })
  t.equal(positionAt(view.playback, 5_000), 14)
  view = evolveView(view, seeked(14, 60, 5_000))
  t.same(view.playback, { status: 'playing', position: 60, rate: 2, at: 5_000 }, 'a seek keeps playing')
  view = evolveView(view, paused(61, 5_500))
  t.same(view.playback, { status: 'paused', position: 61, rate: 2, at: 5_500 })
  t.equal(positionAt(view.playback, 99_000), 61)
})

t.test('members, control mode, video and the end', async (t) => {
  let view = sessionView({ members: [HOST] })
  view = evolveView(view, { type: 'ViewerJoined', data: { userId: GUEST }, at: 2, by: GUEST })
  view = evolveView(view, { type: 'ViewerJoined', data: { userId: GUEST }, at: 3, by: GUEST })
  t.same(view.members, [HOST, GUEST], 'joining twice is once')
  t.ok(mayControl(view, GUEST))
  view = evolveView(view, { type: 'ControlModeChanged', data: { mode: 'host' }, at: 4, by: HOST })
  t.notOk(mayControl(view, GUEST), 'host mode: only the host')
  t.ok(mayControl(view, HOST))
  view = evolveView(view, played(5, 10_000))
  view = evolveView(view, { type: 'VideoChanged', data: { videoUrl: 'https://example.com/b.webm' }, at: 11_000, by: HOST })
  t.same(view.playback, { status: 'paused', position: 0, rate: 1, at: 11_000 }, 'a new video starts paused at 0')
  view = evolveView(view, played(0, 12_000))
  view = evolveView(view, { type: 'SessionEnded', data: {}, at: 15_000, by: HOST })
  t.equal(view.status, 'ended')
  t.equal(view.endedAt, 15_000)
  t.same(view.playback, { status: 'paused', position: 3, rate: 1, at: 15_000 }, 'frozen where it was')
  t.notOk(mayControl(view, HOST), 'nobody controls an ended session')
  view = evolveView(view, { type: 'ViewerLeft', data: { userId: GUEST }, at: 16_000, by: GUEST })
  t.same(view.members, [HOST])
  t.notOk(mayControl(sessionView({ members: [HOST] }), GUEST), 'not a member')
})

t.test('chat and creation leave the state alone', async (t) => {
  const view = sessionView()
  t.equal(evolveView(view, { type: 'ChatMessagePosted', data: { messageId: 'm', text: 'hi', videoPosition: 1 }, at: 1, by: HOST }), view)
  t.equal(evolveView(view, { type: 'SessionCreated', data: { title: 'x', videoUrl: 'http://x', hostId: HOST, controlMode: 'host' }, at: 1, by: HOST }), view)
})
