import t from 'tap'
import { safeNext } from '../../src/lib/server/guard.ts'

t.test('our pages are followed after signing in, with their query written out again', async (t) => {
  const ours: Array<[string, string]> = [
    ['/lobby', '/lobby'],
    ['/profile', '/profile'],
    ['/profile/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f', '/profile/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f'],
    ['/sessions/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f', '/sessions/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f'],
    ['/sessions/abc?x=1&y=two', '/sessions/abc?x=1&y=two'],
    // an invite link survives signing in or signing up on the way
    ['/sessions/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f?invite=AbC_12-xYz', '/sessions/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f?invite=AbC_12-xYz'],
    ['/lobby?note=a b', '/lobby?note=a%20b'],
    ['/lobby?x=\n1', '/lobby?x=1'],
    ['/lobby?x=%0d%0aSet-Cookie:%20a=b', '/lobby?x=%0d%0aSet-Cookie:%20a=b'],
    ['/lobby#top', '/lobby'],
  ]
  for (const [next, expected] of ours) t.equal(safeNext(next), expected, JSON.stringify(next))
})

t.test('anything else goes to the lobby: other origins, odd paths, control characters', async (t) => {
  const attacks = [
    null,
    '',
    'lobby',
    'https://evil.example/',
    'http://evil.example/lobby',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)//',
    'data:text/html,<script>alert(1)</script>',
    '//evil.example/',
    '///evil.example/',
    '/\\evil.example/',
    '/\\\\evil.example/',
    '\\\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r/evil.example/',
    '/%09/evil.example/',
    '/%0a/evil.example/',
    '/%0d/evil.example/',
    '/%5c/evil.example/',
    '/%5C%5Cevil.example/',
    '/%2f%2fevil.example/',
    '/%2F/evil',
    '/lobby/../../evil.example',
    '/sessions/%2F%2Fevil.example',
    '/sessions/a/b',
    '/login',
    '/register?next=//evil.example',
    '/logout',
    '/api/token',
    `/lobby?x=${'a'.repeat(5000)}`,
    `/sessions/${'a'.repeat(65)}`,
  ]
  for (const next of attacks) t.equal(safeNext(next), '/lobby', JSON.stringify(next)?.slice(0, 80) ?? 'null')
})

t.test('what comes back never holds a control character or a backslash, and never leaves our origin', async (t) => {
  const pieces = ['/', '\\', '\t', '\n', '\r', '%09', '%0a', '%2f', '%5c', 'evil.example', 'lobby', 'sessions', 'x', '?', '#', ':', '@', '.']
  const ours = new URL('http://127.0.0.1:3000')
  for (let i = 0; i < 2000; i++) {
    let next = '/'
    for (let n = 0; n < 1 + (i % 7); n++) next += pieces[(i * 7 + n * 13 + n * i) % pieces.length]
    const safe = safeNext(next)
    if (/[\u0000-\u001f\u007f\\]/.test(safe) || new URL(safe, ours).origin !== ours.origin) {
      t.fail(`${JSON.stringify(next)} -> ${JSON.stringify(safe)}`)
      return
    }
  }
  t.pass('2000 mixes of slashes, backslashes, control characters and encodings stayed on our origin')
})
