import t from 'tap'
import { MEDIA_LIMITS, SESSION_LIMITS } from '@tandem/contracts'
import { PASTE_MAX_BYTES, addParts, parsePaste } from '../../src/lib/queue/playlist-paste.ts'

t.test('links one a line, with an optional title; blank lines and comments skipped', async (t) => {
  const result = parsePaste('#EXTM3U\nhttps://a.example/1.webm\n\n  https://a.example/2.webm   Part two  \r\n# a note\n', 100)
  t.same(result, { ok: true, items: [{ kind: 'url', url: 'https://a.example/1.webm' }, { kind: 'url', url: 'https://a.example/2.webm', title: 'Part two' }] })
})

t.test('bad lines are named by number and nothing is added', async (t) => {
  const result = parsePaste('https://a.example/1.webm\njavascript:alert(1)\nnot a link\n', 100)
  t.same(result, {
    ok: false,
    message: '2 lines are not a playable link; nothing was added.',
    lines: [
      { line: 2, message: 'Only http(s) links can be played.' },
      { line: 3, message: 'This is not a web address.' },
    ],
  })
  t.same(parsePaste('# only comments\n\n', 100), { ok: false, message: 'Paste at least one link.', lines: [] })
})

t.test('a paste that does not fit says how many would', async (t) => {
  const links = (n: number) => Array.from({ length: n }, (_, i) => `https://a.example/${i}.webm`).join('\n')
  t.same(parsePaste(links(5), 3), { ok: false, message: `The queue has room for 3 more videos (at most ${MEDIA_LIMITS.queueMaxItems}); this paste has 5. Nothing was added.`, lines: [] })
  t.match(parsePaste(links(1), 0), { ok: false, message: /^The queue is full/ })
  t.ok(parsePaste(links(100), 100).ok, 'exactly full is fine')
  const huge = `https://a.example/${'x'.repeat(PASTE_MAX_BYTES)}`
  t.same(parsePaste(huge, 100), { ok: false, message: 'This paste is 65 KB; paste at most 64 KB at a time.', lines: [] })
})

t.test('parts: at most 50 items, each frame within 16 KB, in order', async (t) => {
  const small = Array.from({ length: 120 }, (_, i) => ({ kind: 'url' as const, url: `https://a.example/${i}.webm` }))
  const parts = addParts(small)
  t.same(parts.map((p) => p.length), [50, 50, 20])
  t.same(parts.flat(), small, 'every item once, in order')

  const long = Array.from({ length: 30 }, (_, i) => ({ kind: 'url' as const, url: `https://a.example/${String(i).padEnd(2000, 'x')}.webm`, title: 't'.repeat(120) }))
  const longParts = addParts(long)
  t.ok(longParts.length > 1, `${longParts.length} parts`)
  for (const part of longParts) {
    const frame = JSON.stringify({ type: 'command', id: crypto.randomUUID(), command: { type: 'queueAdd', items: part } })
    t.ok(new TextEncoder().encode(frame).length <= SESSION_LIMITS.maxFrameBytes, `a part of ${part.length} fits one frame`)
  }
  t.same(longParts.flat(), long)
  t.same(addParts([]), [])
})
