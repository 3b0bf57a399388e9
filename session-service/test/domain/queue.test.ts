import t from 'tap'
import { MEDIA_LIMITS, SESSION_LIMITS, type MediaItem, type MediaItemInput, type SessionEvent } from '@tandem/contracts'
import type { SessionCommand } from '../../src/domain/commands.ts'
import { ALICE, BOB, HOST, T0, cmd, created, given, joined } from '../fixtures/decider-spec.ts'

/** Rules of what a session plays: the shared queue, play now, skip and the end of an item. */

const AT = T0 + 1000
const urlOf = (n: number) => `https://videos.example/${n}.mp4`

/** The item `queueAdd {url}` gives, with the id of the revision that added it. */
const urlItem = (itemId: string, url: string, addedBy = HOST, title = ''): MediaItem => ({ itemId, kind: 'url', url, title, subtitlesUrl: null, file: null, addedBy })

const added = (item: MediaItem, index: number, at = T0 + 2): SessionEvent => ({ type: 'QueueItemAdded', data: { item, index }, at, by: item.addedBy })
const started = (position: number, at: number, by = HOST): SessionEvent => ({ type: 'PlaybackStarted', data: { position }, at, by })
const coHostAdded = (userId: string): SessionEvent => ({ type: 'CoHostAdded', data: { userId }, at: T0 + 3, by: HOST })
const videoChanged = (item: MediaItem, reason: 'chosen' | 'ended', playing: boolean, by = HOST, at = AT): SessionEvent => ({
  type: 'VideoChanged',
  data: { videoUrl: item.url, item, reason, playing },
  at,
  by,
})

/** created (r0), Alice joined (r1), then two queued items: r2 and r3. */
const A = urlItem('r2', urlOf(2))
const B = urlItem('r3', urlOf(3))
const withTwo = (controlMode: 'host' | 'everyone' = 'host') => [created(controlMode), joined(ALICE), added(A, 0), added(B, 1)]

const queueOf = (state: ReturnType<typeof given>['state']) => (state.status === 'none' ? [] : state.queue.map((item) => item.itemId))

t.test('adding to the queue', async (t) => {
  t.test('at the end by default; the item id is the revision of the event that adds it', async (t) => {
    given(t, withTwo())
      .when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(9), title: '  Episode 9 ' }] }, AT))
      .thenEvents([added(urlItem('r4', urlOf(9), HOST, 'Episode 9'), 2, AT)])
  })
  t.test('next: at the front of the queue', async (t) => {
    given(t, withTwo())
      .when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(9) }], next: true }, AT))
      .thenEvents([added(urlItem('r4', urlOf(9)), 0, AT)])
  })
  t.test('many items keep their order, at the end or next', async (t) => {
    const items = [1, 2, 3].map((n) => ({ url: urlOf(10 + n) }))
    given(t, withTwo())
      .when(cmd(HOST, { type: 'queueAdd', items }, AT))
      .thenEvents([1, 2, 3].map((n, i) => added(urlItem(`r${4 + i}`, urlOf(10 + n)), 2 + i, AT)))
    const next = given(t, withTwo()).when(cmd(HOST, { type: 'queueAdd', items, next: true }, AT))
    next.thenEvents([1, 2, 3].map((n, i) => added(urlItem(`r${4 + i}`, urlOf(10 + n)), i, AT)))
    const after = given(t, [...withTwo(), ...(next.decision.kind === 'accepted' ? next.decision.events : [])])
    t.same(queueOf(after.state), ['r4', 'r5', 'r6', 'r2', 'r3'], 'played next in the order given, before what was queued')
  })
  t.test('ids stay unique: an item added later gets a later revision', async (t) => {
    const first = given(t, [created()]).when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(1) }] }, AT))
    const events = first.decision.kind === 'accepted' ? first.decision.events : []
    given(t, [created(), ...events])
      .when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(1) }] }, AT))
      .thenEvents([added(urlItem('r2', urlOf(1)), 1, AT)])
  })
  t.test('a local file keeps its name, size and duration and has no URL', async (t) => {
    const file = { name: 'holiday.mkv', size: 1_234_567, duration: 3600.5 }
    given(t, [created()])
      .when(cmd(HOST, { type: 'queueAdd', items: [{ kind: 'local', file, subtitlesUrl: 'https://subs.example/h.vtt' }] }, AT))
      .thenEvents([added({ itemId: 'r1', kind: 'local', url: '', title: '', subtitlesUrl: 'https://subs.example/h.vtt', file, addedBy: HOST }, 0, AT)])
  })
  t.test(`the queue holds at most ${MEDIA_LIMITS.queueMaxItems}: past that the whole command is refused and nothing queued is lost`, async (t) => {
    const full = [created(), ...Array.from({ length: MEDIA_LIMITS.queueMaxItems }, (_, i) => added(urlItem(`r${i + 1}`, urlOf(i + 1)), i))]
    const g = given(t, full)
    t.equal(queueOf(g.state).length, MEDIA_LIMITS.queueMaxItems)
    g.when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(0) }] })).thenRejected('queue_full')
    g.when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(0) }], next: true })).thenRejected('queue_full')
    const almost = given(t, full.slice(0, -1))
    almost.when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(0) }, { url: urlOf(0) }] })).thenRejected('queue_full')
    t.equal(queueOf(almost.state).length, MEDIA_LIMITS.queueMaxItems - 1, 'the items already queued are all still there')
    const one = almost.when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(0) }] }, AT))
    t.equal(one.decision.kind === 'accepted' && one.decision.events.length, 1, 'the last free place can be filled')
  })
})

t.test('items that cannot be queued are refused, naming what is wrong, and nothing is added', async (t) => {
  const g = given(t, withTwo())
  const refuses = (items: MediaItemInput[], code: string, what: string) => {
    const { decision } = g.when(cmd(HOST, { type: 'queueAdd', items }))
    t.match(decision, { kind: 'rejected', code }, what)
  }
  for (const url of ['javascript:alert(1)', 'data:video/mp4;base64,AAAA', 'file:///home/me/film.mp4', 'ftp://videos.example/a.mp4', '', 'not a url', `https://x.example/${'a'.repeat(SESSION_LIMITS.videoUrlMaxChars)}`]) {
    refuses([{ url }], 'invalid_video_url', `url ${url.slice(0, 30)}`)
  }
  refuses([{}], 'invalid_video_url', 'a url item without a url')
  for (const subtitlesUrl of ['javascript:alert(1)', 'data:text/vtt,WEBVTT', 'file:///subs.vtt', 'ftp://subs.example/a.vtt']) {
    refuses([{ url: urlOf(1), subtitlesUrl }], 'invalid_subtitles_url', `subtitles ${subtitlesUrl}`)
  }
  for (const file of [undefined, { size: 1, duration: 1 }, { name: '', size: 1, duration: 1 }, { name: 'a.mp4', duration: 1 }, { name: 'a.mp4', size: 1 }, { name: 'a.mp4', size: -1, duration: 1 }, { name: 'a.mp4', size: 1, duration: 0 }, { name: 'x'.repeat(256), size: 1, duration: 1 }]) {
    refuses([{ kind: 'local', file: file as never }], 'invalid_local_file', `local file ${JSON.stringify(file)?.slice(0, 40)}`)
  }
  refuses([{ url: urlOf(1), title: 'x'.repeat(SESSION_LIMITS.titleMaxChars + 1) }], 'invalid_title', 'a title that is too long')
  refuses([{ url: urlOf(1), title: 'a\u0000b' }], 'invalid_title', 'a title that is not text')
  refuses([{ kind: 'stream' as never, url: urlOf(1) }], 'invalid_item', 'an unknown kind')
  refuses([{ kind: null as never, url: urlOf(1) }], 'invalid_item', 'a null kind (only an absent one means url)')
  refuses(['https://videos.example/1.mp4' as never], 'invalid_item', 'an item that is not an object')
  refuses([], 'invalid_item', 'no items')
  refuses(Array.from({ length: MEDIA_LIMITS.addMaxItems + 1 }, (_, i) => ({ url: urlOf(i) })), 'invalid_item', `${MEDIA_LIMITS.addMaxItems + 1} items`)
  t.test(`${MEDIA_LIMITS.addMaxItems} items are fine`, async (t) => {
    const { decision } = given(t, withTwo()).when(cmd(HOST, { type: 'queueAdd', items: Array.from({ length: MEDIA_LIMITS.addMaxItems }, (_, i) => ({ url: urlOf(i) })) }))
    t.equal(decision.kind === 'accepted' && decision.events.length, MEDIA_LIMITS.addMaxItems)
  })
  t.test('one bad item refuses the whole command, and says which', async (t) => {
    const { decision } = g.when(cmd(HOST, { type: 'queueAdd', items: [{ url: urlOf(1) }, { url: 'javascript:alert(1)' }] }))
    t.match(decision, { kind: 'rejected', code: 'invalid_video_url', message: /^item 2: / })
  })
})

t.test('editing the queue', async (t) => {
  const g = given(t, withTwo())
  t.test('remove', async (t) => {
    g.when(cmd(HOST, { type: 'queueRemove', itemId: 'r2' }, AT)).thenEvents([{ type: 'QueueItemRemoved', data: { itemId: 'r2' }, at: AT, by: HOST }])
    g.when(cmd(HOST, { type: 'queueRemove', itemId: 'r9' })).thenRejected('item_not_found')
    g.when(cmd(HOST, { type: 'queueRemove', itemId: 'r0' })).thenRejected('item_not_found')
  })
  t.test('move', async (t) => {
    g.when(cmd(HOST, { type: 'queueMove', itemId: 'r3', index: 0 }, AT)).thenEvents([{ type: 'QueueReordered', data: { itemId: 'r3', index: 0 }, at: AT, by: HOST }])
    g.when(cmd(HOST, { type: 'queueMove', itemId: 'r2', index: 0 })).thenNothing()
    g.when(cmd(HOST, { type: 'queueMove', itemId: 'r9', index: 0 })).thenRejected('item_not_found')
  })
  t.test('a bad index is refused', async (t) => {
    for (const index of [2, -1, 1.5, Number.NaN, '0' as never, null as never]) {
      g.when(cmd(HOST, { type: 'queueMove', itemId: 'r2', index })).thenRejected('invalid_index')
    }
  })
  t.test('play now: the item plays from 0 and leaves the queue; paused unless the session was playing', async (t) => {
    g.when(cmd(HOST, { type: 'playItem', itemId: 'r3' }, AT)).thenEvents([videoChanged(B, 'chosen', false)])
    const playing = given(t, [...withTwo(), started(0, T0 + 10)])
    const now = playing.when(cmd(HOST, { type: 'playItem', itemId: 'r3' }, AT))
    now.thenEvents([videoChanged(B, 'chosen', true)])
    const after = given(t, [...withTwo(), started(0, T0 + 10), ...(now.decision.kind === 'accepted' ? now.decision.events : [])])
    if (after.state.status === 'none') return t.fail('no session')
    t.same(after.state.nowPlaying, B)
    t.same(queueOf(after.state), ['r2'])
    t.same(after.state.playback, { status: 'playing', position: 0, rate: 1, at: AT })
    g.when(cmd(HOST, { type: 'playItem', itemId: 'r0' })).thenRejected('item_not_found')
  })
  t.test('skip: the next item plays; with an empty queue there is nothing to skip to', async (t) => {
    g.when(cmd(HOST, { type: 'advance', from: 'r0', reason: 'skip' }, AT)).thenEvents([videoChanged(A, 'chosen', false)])
    given(t, [...withTwo(), started(0, T0 + 10)]).when(cmd(HOST, { type: 'advance', from: 'r0', reason: 'skip' }, AT)).thenEvents([videoChanged(A, 'chosen', true)])
    given(t, [created()]).when(cmd(HOST, { type: 'advance', from: 'r0', reason: 'skip' })).thenRejected('item_not_found')
  })
  t.test('skipping from an item that no longer plays changes nothing', async (t) => {
    given(t, [...withTwo(), videoChanged(A, 'chosen', false, HOST, T0 + 20)]).when(cmd(HOST, { type: 'advance', from: 'r0', reason: 'skip' })).thenNothing()
  })
})

t.test('in host-only mode the queue is the host’s and co-hosts’; in everyone mode every member’s', async (t) => {
  const commands: SessionCommand[] = [
    { type: 'queueAdd', items: [{ url: urlOf(1) }] },
    { type: 'queueRemove', itemId: 'r2' },
    { type: 'queueMove', itemId: 'r3', index: 0 },
    { type: 'playItem', itemId: 'r3' },
    { type: 'advance', from: 'r0', reason: 'skip' },
  ]
  const hostOnly = given(t, [...withTwo(), joined(BOB), coHostAdded(BOB)])
  const everyone = given(t, withTwo('everyone'))
  for (const command of commands) {
    hostOnly.when(cmd(ALICE, command)).thenRejected('not_host')
    t.equal(hostOnly.when(cmd(BOB, command)).decision.kind, 'accepted', `a co-host may ${command.type}`)
    t.equal(everyone.when(cmd(ALICE, command)).decision.kind, 'accepted', `in everyone mode a member may ${command.type}`)
    everyone.when(cmd('user-stranger', command)).thenRejected('not_member')
  }
})

t.test('the end of an item', async (t) => {
  // Playing from 0 at T0 + 10 s: at T0 + 10 s + 100 s the shared position is 100.
  const PLAY_AT = T0 + 10_000
  const playingTwo = () => [...withTwo(), started(0, PLAY_AT)]
  const at = (position: number) => PLAY_AT + position * 1000
  const ended = (from: string, duration: number, position: number, by = ALICE) => cmd(by, { type: 'advance', from, reason: 'ended', duration }, at(position))

  t.test('an end reported well before the end by the shared clock appends nothing', async (t) => {
    given(t, playingTwo()).when(ended('r0', 100, 50)).thenNothing()
    given(t, playingTwo()).when(ended('r0', 100, 100 - MEDIA_LIMITS.endToleranceSeconds - 0.5)).thenNothing()
  })
  t.test('at the end, the next item plays: one VideoChanged, reason ended, playing', async (t) => {
    given(t, playingTwo()).when(ended('r0', 100, 99)).thenEvents([videoChanged(A, 'ended', true, ALICE, at(99))])
    given(t, playingTwo()).when(ended('r0', 100, 100 - MEDIA_LIMITS.endToleranceSeconds)).thenEvents([videoChanged(A, 'ended', true, ALICE, at(98))])
  })
  t.test('any member may report it, even in host-only mode; a stranger may not', async (t) => {
    given(t, playingTwo()).when(ended('r0', 100, 100, 'user-stranger')).thenRejected('not_member')
  })
  t.test('a second report of the same end (another viewer, another replica) appends nothing', async (t) => {
    given(t, [...playingTwo(), videoChanged(A, 'ended', true, ALICE, at(100))]).when(ended('r0', 100, 100.5, HOST)).thenNothing()
  })
  t.test('an end reported for another item appends nothing', async (t) => {
    given(t, playingTwo()).when(ended('r2', 100, 100)).thenNothing()
    given(t, playingTwo()).when(ended('r77', 100, 100)).thenNothing()
  })
  t.test('while paused, an end changes nothing', async (t) => {
    given(t, withTwo()).when(ended('r0', 100, 100)).thenNothing()
  })
  t.test('the end of the last item pauses the session at its duration', async (t) => {
    const last = given(t, [created(), joined(ALICE), started(0, PLAY_AT)])
    const end = last.when(ended('r0', 100, 101))
    end.thenEvents([{ type: 'PlaybackPaused', data: { position: 100 }, at: at(101), by: ALICE }])
    const after = given(t, [created(), joined(ALICE), started(0, PLAY_AT), ...(end.decision.kind === 'accepted' ? end.decision.events : [])])
    after.when(ended('r0', 100, 102)).thenNothing()
  })
  t.test('an end needs a sane duration', async (t) => {
    for (const duration of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, SESSION_LIMITS.maxPosition + 1, undefined, '100' as never]) {
      given(t, playingTwo()).when(cmd(ALICE, { type: 'advance', from: 'r0', reason: 'ended', duration }, at(100))).thenRejected('invalid_position')
    }
  })
  t.test('an unknown reason is refused', async (t) => {
    given(t, playingTwo()).when(cmd(HOST, { type: 'advance', from: 'r0', reason: 'bored' as never })).thenRejected('invalid_command')
  })
})

t.test('the state shows what plays and what is queued, however late it is folded', async (t) => {
  const history: SessionEvent[] = [
    ...withTwo(),
    added(urlItem('r4', urlOf(4)), 0),
    { type: 'QueueReordered', data: { itemId: 'r3', index: 0 }, at: T0 + 5, by: HOST },
    { type: 'QueueItemRemoved', data: { itemId: 'r2' }, at: T0 + 6, by: HOST },
    videoChanged(B, 'chosen', false, HOST, T0 + 7),
  ]
  const { state } = given(t, history)
  if (state.status === 'none') return t.fail('no session')
  t.same(state.nowPlaying, B)
  t.equal(state.videoUrl, B.url)
  t.same(queueOf(state), ['r4'])
  t.same(state.playback, { status: 'paused', position: 0, rate: 1, at: T0 + 7 })
})
