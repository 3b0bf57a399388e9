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

t.test('messages are checked against their schemas and keep only the fields they name', async (t) => {
  t.same(parseClientFrame('{"type":"hello","token":"abc","admin":true}'), { ok: true, message: { type: 'hello', token: 'abc' } })
  t.same(parseClientFrame('{"type":"history","limit":5,"before":9,"all":true}'), { ok: true, message: { type: 'history', limit: 5, before: 9 } })
  t.match(parseClientFrame('{"type":"hello","token":"t","since":9007199254740992}'), { code: 'invalid_message', message: /"since"/ }, 'beyond a safe integer')
  t.match(parseClientFrame('{"type":"history","limit":5,"before":-1}'), { code: 'invalid_message', message: /"before"/ })
  t.match(parseClientFrame('{"type":"history","before":-1}'), { code: 'invalid_message', message: /"limit"/ }, 'the missing limit is named first')
  t.match(parseClientFrame('{"type":"ping","t0":1e999}'), { code: 'invalid_message' }, 'an infinite t0')
  t.match(parseClientFrame('{"type":"command","id":"a\\u0000b","command":{"type":"join"}}'), { code: 'invalid_message' }, 'NUL in an id')
})

t.test('names of Object.prototype are not message or command types', async (t) => {
  t.match(parseClientFrame('{"type":"constructor"}'), { code: 'unknown_type' })
  t.match(parseClientFrame('{"type":"toString"}'), { code: 'unknown_type' })
  t.match(parseClientFrame('{"type":"command","id":"x","command":{"type":"hasOwnProperty"}}'), { reply: 'reject', code: 'invalid_command' })
})
