import t from 'tap'
import { mediaConnectSources, sessionServiceSources, withConnectSources } from '../../src/lib/server/content-security-policy.ts'

t.test("session-service's public address becomes an http(s) and a ws(s) source", async (t) => {
  t.same(sessionServiceSources('http://127.0.0.1:4003'), ['http://127.0.0.1:4003', 'ws://127.0.0.1:4003'])
  t.same(sessionServiceSources('https://tandem.example/session'), ['https://tandem.example', 'wss://tandem.example'])
})

t.test('the sources go into connect-src, nothing else changes', async (t) => {
  const policy = "default-src 'self'; connect-src 'self'; script-src 'self' 'nonce-abc'"
  t.equal(
    withConnectSources(policy, ['http://s:4003', 'ws://s:4003']),
    "default-src 'self'; connect-src 'self' http://s:4003 ws://s:4003; script-src 'self' 'nonce-abc'",
  )
  t.equal(withConnectSources("default-src 'self'", ['ws://s']), "default-src 'self'", 'no connect-src: left alone')
})

t.test('the watch page may fetch media from any https address, and http ones only when served over http', async (t) => {
  t.same(mediaConnectSources(new URL('https://tandem.example/sessions/1')), ['https:'], 'mixed content is blocked anyway')
  t.same(mediaConnectSources(new URL('http://127.0.0.1:4000/sessions/1')), ['http:', 'https:'])
})
