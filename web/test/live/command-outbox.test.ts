import t from 'tap'
import { settle } from '../fixtures/fake-timers.ts'
import { connected, harness } from '../fixtures/connection-harness.ts'
import { welcome } from '../fixtures/session-frames.ts'

t.test('commands are acknowledged by id and re-sent (same id) after a reconnect', async (t) => {
  const h = harness()
  h.connection.start()
  await settle()
  const early = h.connection.command({ type: 'chat', text: 'before welcome', videoPosition: 0 })
  h.socket().open()
  t.same(h.socket().sentOf('command'), [], 'nothing but hello before the welcome')
  h.socket().receive(welcome(3))
  t.same(h.socket().sentOf('command').map((c) => c.id), ['cmd-1'], 'queued commands go out after the welcome')
  h.socket().receive({ type: 'ack', id: 'cmd-1', revision: 4 })
  t.same(await early, { ok: true, revision: 4 })

  const chatting = h.connection.command({ type: 'chat', text: 'lost ack', videoPosition: 1 })
  const pausing = h.connection.command({ type: 'pause', position: 1 })
  t.same(h.socket().sentOf('command').map((c) => c.id), ['cmd-1', 'cmd-2', 'cmd-3'])
  h.socket().receive({ type: 'reject', id: 'cmd-3', code: 'not_host', message: 'only the host controls playback' })
  t.same(await pausing, { ok: false, code: 'not_host', message: 'only the host controls playback' })

  h.socket().drop(1001)
  h.timers.advance(500)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(5))
  t.same(
    h.socket().sentOf('command'),
    [{ type: 'command', id: 'cmd-2', command: { type: 'chat', text: 'lost ack', videoPosition: 1 } }],
    'the unanswered command is sent again with its id',
  )
  h.socket().receive({ type: 'ack', id: 'cmd-2', revision: 5 })
  t.same(await chatting, { ok: true, revision: 5 })
})

t.test('playback commands older than a few seconds are not replayed after a reconnect', async (t) => {
  const h = harness()
  await connected(h, 3)
  const seeking = h.connection.command({ type: 'seek', position: 40 })
  const chatting = h.connection.command({ type: 'chat', text: 'still wanted', videoPosition: 1 })
  h.socket().drop(1006)
  h.timers.advance(8_000)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(3))
  t.same(h.socket().sentOf('command').map((c) => c.command.type), ['chat'])
  t.match(await seeking, { ok: false, code: 'stale' })
  h.socket().receive({ type: 'ack', id: 'cmd-2', revision: 4 })
  t.same(await chatting, { ok: true, revision: 4 })
})
