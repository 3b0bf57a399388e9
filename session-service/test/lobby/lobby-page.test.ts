import t from 'tap'
import { createdSession } from '@tandem/contracts'
import { compareLobbyOrder, decodeCursor, encodeCursor, lobbyPage, type LobbyPageQuery } from '../../src/lobby/lobby-page.ts'
import type { ListedSession } from '../../src/lobby/lobby-projection.ts'
import { searchKey } from '../../src/lobby/title-search.ts'

function listed(id: string, title: string, createdAt: number): ListedSession {
  const fields = createdSession({ type: 'SessionCreated', data: { title, videoUrl: `https://v.example/${id}`, hostId: 'host', controlMode: 'host', visibility: 'public' }, at: createdAt, by: 'host' })
  return { id, fields, titleKey: searchKey(title), lastEventAt: createdAt }
}

const ids = (page: { sessions: Array<{ id: string }> }) => page.sessions.map((s) => s.id)

t.test('most watched first, then newest, then by id', async (t) => {
  const sessions = [listed('a', 'A', 1), listed('b', 'B', 3), listed('c', 'C', 2), listed('d', 'D', 3), listed('e', 'E', 9)]
  const watching: Record<string, number> = { a: 5, c: 5, e: 0 }
  const page = lobbyPage(sessions, (id) => watching[id] ?? 0, { limit: 20 })
  t.same(ids(page), ['c', 'a', 'e', 'b', 'd'])
  t.same(page.sessions.map((s) => s.watching), [5, 5, 0, 0, 0])
  t.match(page.sessions[0], { id: 'c', title: 'C', hostId: 'host', visibility: 'public', videoUrl: 'https://v.example/c', members: 1, createdAt: 2 })
  t.equal(page.nextCursor, null, 'one page holds them all')
})

t.test('search: every word, anywhere, any case, compatibility-folded, trimmed', async (t) => {
  const sessions = [
    listed('1', 'Movie Night', 1),
    listed('2', 'Night of the living movie-goers', 2),
    listed('3', 'ＭＯＶＩＥ marathon', 3),
    listed('4', 'Cats', 4),
    listed('5', 'ﬁlm club', 5),
  ]
  const search = (q: string | undefined) => ids(lobbyPage(sessions, () => 0, { q, limit: 20 }))
  t.same(search('  night   MOVIE '), ['2', '1'], 'both words, in any order and case')
  t.same(search('movie'), ['3', '2', '1'], 'full-width letters match')
  t.same(search('FILM'), ['5'], 'a ligature matches its letters')
  t.same(search('movie cats'), [], 'every word must appear')
  t.same(search('   '), ['5', '4', '3', '2', '1'], 'a blank query lists everything')
  t.same(search(undefined), ['5', '4', '3', '2', '1'])
})

t.test('cursor pages neither repeat nor skip a session while the counts stay put', async (t) => {
  // Many ties on both watching and createdAt, so that the id decides often.
  const sessions = Array.from({ length: 137 }, (_, i) => listed(`s${String((i * 7919) % 1000).padStart(3, '0')}`, i % 3 === 0 ? 'Party' : 'Quiet', i % 5))
  const watching = (id: string) => Number(id.slice(1)) % 4
  const everything = ids(lobbyPage(sessions, watching, { limit: 1000 }))
  const sortedApart = sessions.map((s) => ({ id: s.id, createdAt: s.fields.createdAt, watching: watching(s.id) })).sort(compareLobbyOrder)
  t.same(everything, sortedApart.map((k) => k.id), 'one page of everything is the full sort')
  for (const [limit, q] of [[7, undefined], [1, 'party'], [50, undefined], [137, undefined], [46, 'quiet']] as const) {
    const seen: string[] = []
    let query: LobbyPageQuery = { q, limit }
    for (let pages = 0; ; pages++) {
      const page = lobbyPage(sessions, watching, query)
      seen.push(...ids(page))
      if (page.sessions.length > limit || pages > 200) throw new Error('runaway paging')
      if (page.nextCursor === null) break
      const after = decodeCursor(page.nextCursor)
      if (!after) throw new Error('a cursor the lobby made does not decode')
      query = { q, limit, after }
    }
    const expected = q === undefined ? everything : ids(lobbyPage(sessions, watching, { q, limit: 1000 }))
    t.same(seen, expected, `limit ${limit}${q ? `, q=${q}` : ''}: every session once, in order`)
  }
})

t.test('the last page has no cursor, even when it is full', async (t) => {
  const sessions = [listed('a', 'A', 1), listed('b', 'B', 2)]
  const first = lobbyPage(sessions, () => 0, { limit: 1 })
  t.same(ids(first), ['b'])
  t.type(first.nextCursor, 'string')
  const second = lobbyPage(sessions, () => 0, { limit: 1, after: decodeCursor(first.nextCursor!)! })
  t.same([ids(second), second.nextCursor], [['a'], null])
})

t.test('cursors: what encodeCursor makes decodes to the key; anything else is refused', async (t) => {
  const key = { watching: 3, createdAt: 1_700_000_000_123, id: '1d2c9a4e-0000-4000-8000-000000000000' }
  const cursor = encodeCursor(key)
  t.match(cursor, /^[A-Za-z0-9_-]+$/, 'URL-safe')
  t.same(decodeCursor(cursor), key)
  t.equal(compareLobbyOrder(key, decodeCursor(cursor)!), 0)
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
  for (const bad of [
    '',
    'not a cursor!',
    '%%%',
    b64('not json'),
    b64({ watching: 1, createdAt: 2, id: 'x' }),
    b64([1, 2]),
    b64([-1, 2, 'x']),
    b64([1.5, 2, 'x']),
    b64(['1', 2, 'x']),
    b64([1, '2', 'x']),
    b64([1, 2, 3]),
    b64([1, 2, 'x'.repeat(65)]),
    b64([1, 2, 'x', 4]),
    b64(null),
    cursor + '=',
  ]) {
    t.equal(decodeCursor(bad), null, JSON.stringify(bad))
  }
})
