import t from 'tap'
import { SESSION_LIMITS } from '@tandem/contracts'
import { ALICE, BOB, HOST, T0, cmd, created, given, joined } from '../fixtures/decider-spec.ts'

const VIDEO = 'https://example.com/v.mp4'

t.test('create', async (t) => {
  t.test('opens a session whose creator is the host', async (t) => {
    given(t, [])
      .when(cmd(HOST, { type: 'create', title: '  Movie night ', videoUrl: VIDEO, controlMode: 'host', visibility: 'public', inviteId: 'invite-1' }, T0))
      .thenEvents([created('host', T0)])
  })
  t.test('refuses a second create on the same stream', async (t) => {
    given(t, [created()])
      .when(cmd(HOST, { type: 'create', title: 'x', videoUrl: VIDEO, controlMode: 'host', visibility: 'public', inviteId: 'invite-1' }))
      .thenRejected('session_exists')
  })
  t.test('refuses an empty or overlong title', async (t) => {
    given(t, []).when(cmd(HOST, { type: 'create', title: '   ', videoUrl: VIDEO, controlMode: 'host', visibility: 'public', inviteId: 'invite-1' })).thenRejected('invalid_title')
    given(t, [])
      .when(cmd(HOST, { type: 'create', title: 'x'.repeat(121), videoUrl: VIDEO, controlMode: 'host', visibility: 'public', inviteId: 'invite-1' }))
      .thenRejected('invalid_title')
  })
  t.test('refuses a video URL that is not http(s)', async (t) => {
    for (const videoUrl of ['javascript:alert(1)', 'not a url', '', 'ftp://x/y', `https://x/${'a'.repeat(3000)}`]) {
      given(t, []).when(cmd(HOST, { type: 'create', title: 't', videoUrl, controlMode: 'host', visibility: 'public', inviteId: 'invite-1' })).thenRejected('invalid_video_url')
    }
  })
  t.test('refuses an unknown control mode', async (t) => {
    given(t, [])
      .when(cmd(HOST, { type: 'create', title: 't', videoUrl: VIDEO, controlMode: 'anyone' as never, visibility: 'public', inviteId: 'invite-1' }))
      .thenRejected('invalid_control_mode')
  })
})

t.test('commands on a session that does not exist are refused', async (t) => {
  given(t, []).when(cmd(HOST, { type: 'join' })).thenRejected('session_not_found')
  given(t, []).when(cmd(HOST, { type: 'play', position: 1 })).thenRejected('session_not_found')
})

t.test('membership', async (t) => {
  t.test('anyone signed in may join', async (t) => {
    given(t, [created()]).when(cmd(ALICE, { type: 'join' }, T0 + 5)).thenEvents([joined(ALICE, T0 + 5)])
  })
  t.test('joining twice changes nothing', async (t) => {
    given(t, [created(), joined(ALICE)]).when(cmd(ALICE, { type: 'join' })).thenNothing()
  })
  t.test('a member may leave, a non-member may not', async (t) => {
    given(t, [created(), joined(ALICE)])
      .when(cmd(ALICE, { type: 'leave' }, T0 + 9))
      .thenEvents([{ type: 'ViewerLeft', data: { userId: ALICE }, at: T0 + 9, by: ALICE }])
    given(t, [created()]).when(cmd(ALICE, { type: 'leave' })).thenRejected('not_member')
  })
  t.test('a non-member cannot control playback or chat, even when everyone controls', async (t) => {
    const g = given(t, [created('everyone')])
    g.when(cmd(BOB, { type: 'play', position: 1 })).thenRejected('not_member')
    g.when(cmd(BOB, { type: 'pause', position: 1 })).thenRejected('not_member')
    g.when(cmd(BOB, { type: 'seek', position: 1 })).thenRejected('not_member')
    g.when(cmd(BOB, { type: 'rate', rate: 1.5, position: 1 })).thenRejected('not_member')
    g.when(cmd(BOB, { type: 'chat', text: 'hi', videoPosition: 0 })).thenRejected('not_member')
    g.when(cmd(BOB, { type: 'video', videoUrl: VIDEO })).thenRejected('not_member')
  })
  t.test('a host who left is no longer a member', async (t) => {
    given(t, [created(), { type: 'ViewerLeft', data: { userId: HOST }, at: T0 + 2, by: HOST }])
      .when(cmd(HOST, { type: 'play', position: 0 }))
      .thenRejected('not_member')
  })
})

t.test('control mode', async (t) => {
  t.test('when the host controls, other members cannot play, pause, seek, change rate or video', async (t) => {
    const g = given(t, [created('host'), joined(ALICE)])
    g.when(cmd(ALICE, { type: 'play', position: 1 })).thenRejected('not_host')
    g.when(cmd(ALICE, { type: 'pause', position: 1 })).thenRejected('not_host')
    g.when(cmd(ALICE, { type: 'seek', position: 1 })).thenRejected('not_host')
    g.when(cmd(ALICE, { type: 'rate', rate: 2, position: 1 })).thenRejected('not_host')
    g.when(cmd(ALICE, { type: 'video', videoUrl: VIDEO })).thenRejected('not_host')
  })
  t.test('when the host controls, members still chat', async (t) => {
    given(t, [created('host'), joined(ALICE)])
      .when(cmd(ALICE, { type: 'chat', text: 'hello', videoPosition: 3 }, T0 + 50, 'c-1'))
      .thenEvents([{ type: 'ChatMessagePosted', data: { messageId: 'c-1', text: 'hello', videoPosition: 3 }, at: T0 + 50, by: ALICE }])
  })
  t.test('when everyone controls, any member plays', async (t) => {
    given(t, [created('everyone'), joined(ALICE)])
      .when(cmd(ALICE, { type: 'play', position: 12.5 }, T0 + 60))
      .thenEvents([{ type: 'PlaybackStarted', data: { position: 12.5 }, at: T0 + 60, by: ALICE }])
  })
  t.test('only the host changes the control mode', async (t) => {
    given(t, [created('host'), joined(ALICE)])
      .when(cmd(HOST, { type: 'controlMode', mode: 'everyone' }, T0 + 70))
      .thenEvents([{ type: 'ControlModeChanged', data: { mode: 'everyone' }, at: T0 + 70, by: HOST }])
    given(t, [created('everyone'), joined(ALICE)]).when(cmd(ALICE, { type: 'controlMode', mode: 'host' })).thenRejected('not_host')
    given(t, [created('host')]).when(cmd(HOST, { type: 'controlMode', mode: 'host' })).thenNothing()
    given(t, [created('host')]).when(cmd(HOST, { type: 'controlMode', mode: 'all' as never })).thenRejected('invalid_control_mode')
  })
  t.test('only the host ends the session', async (t) => {
    given(t, [created('everyone'), joined(ALICE)]).when(cmd(ALICE, { type: 'end' })).thenRejected('not_host')
    given(t, [created()])
      .when(cmd(HOST, { type: 'end' }, T0 + 80))
      .thenEvents([{ type: 'SessionEnded', data: { reason: 'host' }, at: T0 + 80, by: HOST }])
  })
})

t.test('playback', async (t) => {
  t.test('seek records where the video was at the time of the command', async (t) => {
    given(t, [created(), { type: 'PlaybackStarted', data: { position: 10 }, at: T0 + 1000, by: HOST }])
      .when(cmd(HOST, { type: 'seek', position: 100 }, T0 + 3000))
      .thenEvents([{ type: 'PlaybackSeeked', data: { from: 12, position: 100 }, at: T0 + 3000, by: HOST }])
  })
  t.test('seek while paused starts from the paused position', async (t) => {
    given(t, [created(), { type: 'PlaybackPaused', data: { position: 42 }, at: T0 + 10, by: HOST }])
      .when(cmd(HOST, { type: 'seek', position: 1 }, T0 + 99_000))
      .thenEvents([{ type: 'PlaybackSeeked', data: { from: 42, position: 1 }, at: T0 + 99_000, by: HOST }])
  })
  t.test('pause and rate record the given position', async (t) => {
    given(t, [created()])
      .when(cmd(HOST, { type: 'pause', position: 7 }, T0 + 5))
      .thenEvents([{ type: 'PlaybackPaused', data: { position: 7 }, at: T0 + 5, by: HOST }])
    given(t, [created()])
      .when(cmd(HOST, { type: 'rate', rate: 1.25, position: 8 }, T0 + 6))
      .thenEvents([{ type: 'PlaybackRateChanged', data: { rate: 1.25, position: 8 }, at: T0 + 6, by: HOST }])
  })
  t.test('changing the video is recorded', async (t) => {
    given(t, [created()])
      .when(cmd(HOST, { type: 'video', videoUrl: 'http://videos.example/b.webm' }, T0 + 7))
      .thenEvents([{
        type: 'VideoChanged',
        data: {
          videoUrl: 'http://videos.example/b.webm',
          item: { itemId: 'r1', kind: 'url', url: 'http://videos.example/b.webm', title: '', subtitlesUrl: null, file: null, addedBy: HOST },
          reason: 'chosen',
          playing: false,
        },
        at: T0 + 7,
        by: HOST,
      }])
    given(t, [created()]).when(cmd(HOST, { type: 'video', videoUrl: 'file:///etc/passwd' })).thenRejected('invalid_video_url')
  })
})

t.test('positions must be finite, non-negative and sane', async (t) => {
  const bad = [Number.NaN, -1, -0.001, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, SESSION_LIMITS.maxPosition + 1, 1e300, '5' as never, null as never]
  const g = given(t, [created()])
  for (const position of bad) {
    g.when(cmd(HOST, { type: 'play', position })).thenRejected('invalid_position')
    g.when(cmd(HOST, { type: 'pause', position })).thenRejected('invalid_position')
    g.when(cmd(HOST, { type: 'seek', position })).thenRejected('invalid_position')
    g.when(cmd(HOST, { type: 'rate', rate: 1, position })).thenRejected('invalid_position')
    g.when(cmd(HOST, { type: 'chat', text: 'x', videoPosition: position })).thenRejected('invalid_position')
  }
  g.when(cmd(HOST, { type: 'play', position: 0 })).thenEvents([{ type: 'PlaybackStarted', data: { position: 0 }, at: T0 + 1000, by: HOST }])
  g.when(cmd(HOST, { type: 'play', position: SESSION_LIMITS.maxPosition }, T0 + 1000)).thenEvents([
    { type: 'PlaybackStarted', data: { position: SESSION_LIMITS.maxPosition }, at: T0 + 1000, by: HOST },
  ])
})

t.test('rate must be within [0.25, 4]', async (t) => {
  const g = given(t, [created()])
  for (const rate of [0.24, 4.01, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    g.when(cmd(HOST, { type: 'rate', rate, position: 1 })).thenRejected('invalid_rate')
  }
  for (const rate of [0.25, 1, 4]) {
    g.when(cmd(HOST, { type: 'rate', rate, position: 1 }, T0 + 2)).thenEvents([
      { type: 'PlaybackRateChanged', data: { rate, position: 1 }, at: T0 + 2, by: HOST },
    ])
  }
})

t.test('chat is 1–500 characters after trimming', async (t) => {
  const g = given(t, [created()])
  for (const text of ['', '   ', '\n\t', 'x'.repeat(501), 'x'.repeat(10_000), 42 as never]) {
    g.when(cmd(HOST, { type: 'chat', text, videoPosition: 0 })).thenRejected('invalid_chat')
  }
  g.when(cmd(HOST, { type: 'chat', text: `  ${'é'.repeat(500)}  `, videoPosition: 0 }, T0 + 3, 'c-500')).thenEvents([
    { type: 'ChatMessagePosted', data: { messageId: 'c-500', text: 'é'.repeat(500), videoPosition: 0 }, at: T0 + 3, by: HOST },
  ])
  // 500 emoji are 1,000 UTF-16 code units but 500 characters.
  const emoji = '🎬'.repeat(500)
  g.when(cmd(HOST, { type: 'chat', text: emoji, videoPosition: 0 }, T0 + 3, 'c-emoji')).thenEvents([
    { type: 'ChatMessagePosted', data: { messageId: 'c-emoji', text: emoji, videoPosition: 0 }, at: T0 + 3, by: HOST },
  ])
})

t.test('an ended session accepts nothing', async (t) => {
  const g = given(t, [created('everyone'), joined(ALICE), { type: 'SessionEnded', data: { reason: 'host' }, at: T0 + 9, by: HOST }])
  g.when(cmd(ALICE, { type: 'play', position: 1 })).thenRejected('session_ended')
  g.when(cmd(ALICE, { type: 'chat', text: 'hi', videoPosition: 1 })).thenRejected('session_ended')
  g.when(cmd(BOB, { type: 'join' })).thenRejected('session_ended')
  g.when(cmd(ALICE, { type: 'leave' })).thenRejected('session_ended')
  g.when(cmd(HOST, { type: 'end' })).thenRejected('session_ended')
})
