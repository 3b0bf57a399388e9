import t from 'tap'
import { parseClientFrame } from '../../src/ws/client-frames.ts'

t.test('well-formed messages', async (t) => {
  t.same(parseClientFrame('{"type":"hello","token":"abc","since":4}'), { ok: true, message: { type: 'hello', token: 'abc', since: 4 } })
  t.same(parseClientFrame('{"type":"hello","token":"abc"}'), { ok: true, message: { type: 'hello', token: 'abc' } })
  t.same(parseClientFrame('{"type":"ping","t0":12.5}'), { ok: true, message: { type: 'ping', t0: 12.5 } })
  t.same(parseClientFrame('{"type":"history","limit":50}'), { ok: true, message: { type: 'history', limit: 50 } })
  t.same(parseClientFrame('{"type":"report","position":3,"buffering":false}'), { ok: true, message: { type: 'report', position: 3, buffering: false } })
})

t.test('commands keep only their own fields', async (t) => {
  t.same(parseClientFrame('{"type":"command","id":"x","command":{"type":"play","position":1,"admin":true}}'), {
    ok: true,
    message: { type: 'command', id: 'x', command: { type: 'play', position: 1 } },
  })
  t.same(parseClientFrame('{"type":"command","id":"x","command":{"type":"leave","extra":1}}'), {
    ok: true,
    message: { type: 'command', id: 'x', command: { type: 'leave' } },
  })
})

t.test('problems are named', async (t) => {
  const code = (text: string) => {
    const r = parseClientFrame(text)
    return r.ok ? 'ok' : r.code
  }
  t.equal(code('{'), 'malformed_json')
  t.equal(code('null'), 'invalid_message')
  t.equal(code('{"type":5}'), 'invalid_message')
  t.equal(code('{"type":"dance"}'), 'unknown_type')
  t.equal(code('{"type":"hello","token":""}'), 'invalid_message')
  t.equal(code('{"type":"hello","token":"t","since":-2}'), 'invalid_message')
  t.equal(code('{"type":"hello","token":"t","since":1.5}'), 'invalid_message')
  t.equal(code('{"type":"command","id":"","command":{"type":"join"}}'), 'invalid_message')
  t.equal(code('{"type":"command","id":"x","command":{"type":"fly"}}'), 'invalid_command')
  t.equal(code('{"type":"scrub","position":-1}'), 'invalid_message')
  t.equal(code('{"type":"report","position":1}'), 'invalid_message')
})
