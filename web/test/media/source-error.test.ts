import t from 'tap'
import { hlsErrorReason, mediaErrorReason } from '../../src/lib/media/source-error.ts'

t.test("the element's MediaError in words", async (t) => {
  t.equal(mediaErrorReason({ code: 4 }), 'the address did not answer with a video this browser can play')
  t.equal(mediaErrorReason({ code: 3 }), 'the video could not be decoded')
  t.equal(mediaErrorReason(null), 'the browser could not play it')
})

t.test("hls.js's fatal errors in words", async (t) => {
  t.equal(hlsErrorReason({ details: 'manifestLoadError', fatal: true, response: { code: 404 } }), 'the playlist could not be fetched (HTTP 404)')
  t.match(hlsErrorReason({ details: 'manifestLoadError', fatal: true, response: { code: 0 } }), /did not answer, or does not let other sites load it/)
  t.equal(hlsErrorReason({ details: 'fragLoadTimeOut', fatal: true }), 'a part of the video did not arrive in time')
  t.equal(hlsErrorReason({ details: 'manifestParsingError', fatal: true }), 'the address is not an HLS playlist')
  t.equal(hlsErrorReason({ details: 'somethingNew', fatal: true }), 'the stream failed (somethingNew)')
})
