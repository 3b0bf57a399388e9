import t from 'tap'
import { urlItem, type MediaItem } from '@tandem/contracts'
import { isHlsUrl, itemBadges, itemLabel } from '../../src/lib/queue/item-label.ts'

const local = (overrides: Partial<MediaItem> = {}): MediaItem => ({
  ...urlItem('r4', '', 'u'),
  kind: 'local',
  file: { name: 'holiday.mkv', size: 1234, duration: 60 },
  ...overrides,
})

t.test('an item is named by its title, else its link, else its file', async (t) => {
  t.equal(itemLabel({ ...urlItem('r1', 'https://cdn.example/films/Nosferatu.mp4', 'u'), title: 'Nosferatu (1922)' }), 'Nosferatu (1922)')
  t.equal(itemLabel(urlItem('r1', 'https://cdn.example/films/Nosferatu.mp4?sig=1', 'u')), 'Nosferatu.mp4')
  t.equal(itemLabel(local()), 'holiday.mkv')
  t.equal(itemLabel(local({ title: 'Our holiday' })), 'Our holiday')
})

t.test('badges: HLS, local file, subtitles', async (t) => {
  t.same(itemBadges(urlItem('r1', 'https://cdn.example/a.mp4', 'u')), [])
  t.same(itemBadges({ ...urlItem('r1', 'https://cdn.example/live/index.M3U8?x=1', 'u'), subtitlesUrl: 'https://cdn.example/a.vtt' }), ['HLS', 'subtitles'])
  t.same(itemBadges(local()), ['local file'])
  t.notOk(isHlsUrl('https://cdn.example/a.m3u8.mp4'))
  t.notOk(isHlsUrl('not a url'))
})
