import type { LobbyNowPlaying, LobbyResponse, LobbySession, MediaItem } from '@tandem/contracts'
import type { ListedSession } from './lobby-projection.ts'
import { matchesAll, queryWords } from './title-search.ts'

/** Where a session sits in the lobby's order: most watched, then newest, then by id. */
export interface LobbySortKey {
  watching: number
  createdAt: number
  id: string
}

export function compareLobbyOrder(a: LobbySortKey, b: LobbySortKey): number {
  return b.watching - a.watching || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** The sort key of a page's last item, as an opaque URL-safe string. */
export function encodeCursor(key: LobbySortKey): string {
  return Buffer.from(JSON.stringify([key.watching, key.createdAt, key.id])).toString('base64url')
}

/** The sort key a cursor names, or null when it is not one `encodeCursor` made. */
export function decodeCursor(cursor: string): LobbySortKey | null {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null
  const [watching, createdAt, id] = parsed as unknown[]
  if (!Number.isSafeInteger(watching) || (watching as number) < 0) return null
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) return null
  if (typeof id !== 'string' || id.length > 64) return null
  return { watching: watching as number, createdAt, id }
}

export function toLobbySession(s: ListedSession, watching: number): LobbySession {
  const { title, hostId, visibility, videoUrl, nowPlaying, members, createdAt } = s.fields
  return { id: s.id, title, hostId, visibility, videoUrl, nowPlaying: lobbyNowPlaying(nowPlaying), watching, members: members.length, createdAt }
}

function lobbyNowPlaying(item: MediaItem): LobbyNowPlaying {
  return { kind: item.kind, title: item.title, url: item.url, fileName: item.file?.name ?? null }
}

export interface LobbyPageQuery {
  q?: string
  limit: number
  /** The previous page's last sort key (a decoded cursor). */
  after?: LobbySortKey
}

/**
 * One page of the lobby. Keyset pagination: a page starts strictly after the previous page's
 * last sort key, so as long as the counts stay put no session is repeated or skipped; a session
 * whose watching count changes between pages moves, and may then be seen twice or not at all.
 */
export function lobbyPage(sessions: Iterable<ListedSession>, watchingOf: (id: string) => number, query: LobbyPageQuery): LobbyResponse {
  const words = queryWords(query.q)
  const { after, limit } = query
  // One more than the page, to know whether another page follows.
  const first = new FirstInOrder<LobbySortKey & { session: ListedSession }>(limit + 1, compareLobbyOrder)
  for (const session of sessions) {
    if (!matchesAll(session.titleKey, words)) continue
    const key = { watching: watchingOf(session.id), createdAt: session.fields.createdAt, id: session.id, session }
    if (after && compareLobbyOrder(key, after) <= 0) continue
    first.offer(key)
  }
  const page = first.items.slice(0, limit)
  const last = page.at(-1)
  return {
    sessions: page.map((c) => toLobbySession(c.session, c.watching)),
    nextCursor: first.items.length > limit && last ? encodeCursor(last) : null,
  }
}

/**
 * The first `size` items offered, in order, without sorting them all: a page is at most 51
 * items out of however many sessions are open, and most of them lose to the current last.
 */
class FirstInOrder<T> {
  readonly items: T[] = []

  constructor(
    private readonly size: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    const { items } = this
    if (items.length === this.size && this.compare(item, items[items.length - 1]!) >= 0) return
    let low = 0
    let high = items.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.compare(items[mid]!, item) <= 0) low = mid + 1
      else high = mid
    }
    items.splice(low, 0, item)
    if (items.length > this.size) items.pop()
  }
}
