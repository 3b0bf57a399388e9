import t from 'tap'
import type { MediaItem } from '@tandem/contracts'
import { hlsPlayback, isHlsMimeType, isHlsUrl, looksLikeHlsPlaylist, sourcePlan } from '../../src/lib/media/source-kind.ts'

const item = (over: Partial<MediaItem>): MediaItem => ({ itemId: 'r1', kind: 'url', url: '', title: '', subtitlesUrl: null, file: null, addedBy: 'u', ...over })

t.test('an address whose path ends in .m3u8 is HLS, whatever its query', async (t) => {
  t.ok(isHlsUrl('https://cdn.example/show/master.m3u8'))
  t.ok(isHlsUrl('https://cdn.example/show/INDEX.M3U8?token=abc#t=3'))
  t.notOk(isHlsUrl('https://cdn.example/show.mp4?list=a.m3u8'), 'the query does not count')
  t.notOk(isHlsUrl('https://cdn.example/movie.webm'))
  t.notOk(isHlsUrl('not a url.m3u8'))
})

t.test('a playlist is known by its MIME type or its first line', async (t) => {
  t.ok(isHlsMimeType('application/vnd.apple.mpegurl'))
  t.ok(isHlsMimeType('application/x-mpegURL; charset=utf-8'))
  t.notOk(isHlsMimeType('video/mp4'))
  t.notOk(isHlsMimeType(null))
  t.ok(looksLikeHlsPlaylist('#EXTM3U\n#EXT-X-VERSION:7\n'))
  t.ok(looksLikeHlsPlaylist('\uFEFF#EXTM3U\n'))
  t.notOk(looksLikeHlsPlaylist('<!doctype html>'))
})

t.test('the plan of an item: file, HLS or the viewer\'s own copy', async (t) => {
  t.same(sourcePlan(item({ url: 'https://x/a.webm' })), { type: 'file', url: 'https://x/a.webm' })
  t.same(sourcePlan(item({ url: 'https://x/a.m3u8' })), { type: 'hls', url: 'https://x/a.m3u8' })
  const file = { name: 'film.mkv', size: 12_345, duration: 60 }
  t.same(sourcePlan(item({ kind: 'local', file })), { type: 'local', file })
})

t.test('hls.js where Media Source Extensions exist, the browser\'s own HLS otherwise', async (t) => {
  t.equal(hlsPlayback(true, 'maybe'), 'hls.js', 'one player for every desktop browser')
  t.equal(hlsPlayback(true, ''), 'hls.js')
  t.equal(hlsPlayback(false, 'maybe'), 'native')
  t.equal(hlsPlayback(false, ''), 'none')
})
