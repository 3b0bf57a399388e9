import t from 'tap'
import { isWebVtt, loadSubtitles } from '../../src/lib/media/subtitles.ts'

const VTT = 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n'
const answer = (body: string, status = 200) => (async () => new Response(body, { status })) as typeof fetch

t.test('WebVTT is known by its first line', async (t) => {
  t.ok(isWebVtt(VTT))
  t.ok(isWebVtt('\uFEFFWEBVTT - with a title\n'))
  t.ok(isWebVtt('WEBVTT'))
  t.notOk(isWebVtt('WEBVTTX\n'))
  t.notOk(isWebVtt('1\n00:00:00,000 --> 00:00:02,000\nHello\n'), 'SubRip is not WebVTT')
})

t.test('a load says what went wrong: no answer, an HTTP error, not WebVTT', async (t) => {
  t.same(await loadSubtitles('https://x/s.vtt', answer(VTT)), { ok: true, vtt: VTT })
  t.same(await loadSubtitles('https://x/s.vtt', answer('nope', 404)), { ok: false, reason: 'the address answered HTTP 404' })
  t.same(await loadSubtitles('https://x/s.srt', answer('1\n00:00:00,000 --> 00:00:02,000\nHi\n')), { ok: false, reason: 'the file is not WebVTT' })
  const unreachable = (async () => {
    throw new TypeError('Failed to fetch')
  }) as typeof fetch
  t.match(await loadSubtitles('https://x/s.vtt', unreachable), { ok: false, reason: /did not answer/ })
})
