import t from 'tap'
import { formatBytes, formatDuration, localFileDifferences, mismatchWarning } from '../../src/lib/media/local-file.ts'

const host = { name: 'film.webm', size: 12_400_000, duration: 245.2 }

t.test('the same copy: nothing differs (a duration within a second counts as the same)', async (t) => {
  t.same(localFileDifferences(host, { ...host }), [])
  t.same(localFileDifferences(host, { ...host, duration: 246.1 }), [])
  t.equal(mismatchWarning([]), null)
})

t.test('each difference is named, the viewer\'s value first', async (t) => {
  t.same(localFileDifferences(host, { ...host, size: 12_300_000 }), ['size 12.3 MB vs 12.4 MB'])
  t.equal(mismatchWarning(localFileDifferences(host, { ...host, size: 12_300_000 })), "Your file differs from the host's: size 12.3 MB vs 12.4 MB")
  t.same(localFileDifferences(host, { name: 'film (1).webm', size: 1_000, duration: 4 }), [
    'name film (1).webm vs film.webm',
    'size 1.0 kB vs 12.4 MB',
    'duration 0:04 vs 4:05',
  ])
})

t.test('sizes that round alike are told apart byte for byte', async (t) => {
  t.same(localFileDifferences(host, { ...host, size: 12_400_001 }), ['size 12,400,001 bytes vs 12,400,000 bytes'])
})

t.test('formats', async (t) => {
  t.equal(formatBytes(812), '812 B')
  t.equal(formatBytes(950_000), '950.0 kB')
  t.equal(formatBytes(2_005_034), '2.0 MB')
  t.equal(formatDuration(7), '0:07')
  t.equal(formatDuration(3723), '1:02:03')
})
