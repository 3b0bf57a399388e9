import t from 'tap'
import { checkLink, isHlsPlaylist, isWebVtt, probeSubtitles, probeVideo, type SourceLoaders } from '../../src/lib/queue/source-check.ts'

t.test('only http(s) links are played', async (t) => {
  t.equal(checkLink('https://cdn.example/a.mp4'), undefined)
  t.equal(checkLink('  http://127.0.0.1:3000/media/sample.webm '), undefined, 'spaces around are no problem')
  for (const link of ['javascript:alert(1)', 'data:video/mp4;base64,AAAA', 'file:///home/me/film.mp4', 'ftp://x.example/a.mp4']) {
    t.same(checkLink(link), { code: 'unsupported_scheme', message: 'Only http(s) links can be played.' }, link)
  }
  t.equal(checkLink('')?.code, 'missing_url')
  t.equal(checkLink('cdn.example/a.mp4')?.code, 'invalid_url')
  t.equal(checkLink(`https://cdn.example/${'a'.repeat(2100)}`)?.code, 'url_too_long')
})

/** Loaders that answer from a table: a string is the text there, an Error the failure. */
function loaders(table: Record<string, string | Error>, asked: string[] = []): SourceLoaders {
  const answer = async (url: string) => {
    asked.push(url)
    const found = table[url]
    if (found === undefined) throw new Error('the server answered 404')
    if (found instanceof Error) throw found
    return found
  }
  return { loadMetadata: async (url) => void (await answer(url)), fetchText: answer }
}

t.test('a video link is probed before it is sent; the reason is told', async (t) => {
  const asked: string[] = []
  const probe = loaders({ 'https://a.example/ok.webm': '', 'https://a.example/hls/index.m3u8': '#EXTM3U\n#EXT-X-VERSION:3\n', 'https://a.example/page.m3u8': '<html>' }, asked)
  t.equal(await probeVideo('https://a.example/ok.webm', probe), undefined)
  t.equal(await probeVideo('https://a.example/hls/index.m3u8', probe), undefined, 'an HLS playlist is fetched, not played natively')
  t.same(await probeVideo('https://a.example/page.m3u8', probe), {
    code: 'source_unreachable',
    message: 'This link did not load as video: it is not an HLS playlist (no #EXTM3U at its start).',
  })
  t.same(await probeVideo('https://a.example/gone.mp4', probe), { code: 'source_unreachable', message: 'This link did not load as video: the server answered 404.' })
  t.same(asked, ['https://a.example/ok.webm', 'https://a.example/hls/index.m3u8', 'https://a.example/page.m3u8', 'https://a.example/gone.mp4'])
})

t.test('subtitles must be WebVTT', async (t) => {
  const probe = loaders({ 'https://a.example/ok.vtt': '\uFEFFWEBVTT - English\n\n00:01.000 --> 00:02.000\nHi\n', 'https://a.example/x.srt': '1\n00:00:01,000 --> 00:00:02,000\nHi\n' })
  t.equal(await probeSubtitles('https://a.example/ok.vtt', probe), undefined)
  t.same(await probeSubtitles('https://a.example/x.srt', probe), { code: 'not_webvtt', message: 'This subtitle file is not WebVTT.' })
  t.same(await probeSubtitles('https://a.example/none.vtt', probe), { code: 'subtitles_unreachable', message: 'The subtitle file did not load: the server answered 404.' })
  t.ok(isWebVtt('WEBVTT'))
  t.notOk(isWebVtt('WEBVTTX\n'), 'the signature is a word of its own')
  t.notOk(isWebVtt(' WEBVTT\n'))
  t.ok(isHlsPlaylist('\n#EXTM3U\n'))
  t.notOk(isHlsPlaylist('EXTM3U'))
})
