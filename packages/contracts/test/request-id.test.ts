import t from 'tap'
import { acceptedRequestId } from '../src/request-id.ts'

t.test('a request id is kept when it is short and plain, else replaced', async (t) => {
  t.equal(acceptedRequestId('abc-123'), 'abc-123')
  t.equal(acceptedRequestId('0b6f3c1e-5d2a-4f7b-9a61-2f3e4d5c6b7a'), '0b6f3c1e-5d2a-4f7b-9a61-2f3e4d5c6b7a')
  t.equal(acceptedRequestId('trace:1.2_3'), 'trace:1.2_3')
  t.equal(acceptedRequestId('x'.repeat(128)), 'x'.repeat(128), '128 characters is the longest kept')
  t.equal(acceptedRequestId('x'.repeat(129)), undefined, 'too long')
  t.equal(acceptedRequestId(''), undefined, 'empty')
  t.equal(acceptedRequestId(undefined), undefined, 'absent')
  t.equal(acceptedRequestId(null), undefined, 'absent (Headers.get)')
  t.equal(acceptedRequestId(['a', 'b']), undefined, 'sent twice')
  t.equal(acceptedRequestId('a b'), undefined, 'spaces')
  t.equal(acceptedRequestId('a\nfake log line'), undefined, 'line breaks')
  t.equal(acceptedRequestId('<script>'), undefined, 'markup')
  t.equal(acceptedRequestId('héllo'), undefined, 'non-ASCII')
})
