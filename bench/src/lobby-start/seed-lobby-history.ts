import type pg from 'pg'

/** Events per seeded session (`SESSION_EVENTS` below). */
export const EVENTS_PER_SESSION = 10
/** Sessions whose events are interleaved in the feed, as sessions running at the same time are. */
const INTERLEAVED = 1000
const USERS = 20_000

/*
 * Session s, event k, in the stored format of session-service (`encodeSessionEvent`): type and
 * data as the decider writes them, `at`, `by` and the command id in the metadata. Ids are UUIDs
 * derived from the numbers, so a later batch can continue a history. One session in three is
 * created private and made public at k = 8, the others the other way round. Sessions numbered
 * from $3 on stay open (their last event is a chat message instead of SessionEnded).
 */
const SEED = `
INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
SELECT 'session-' || md5('session ' || ss.s)::uuid, kk.k, gen_random_uuid(), e.type, e.data,
       jsonb_build_object('at', $4::bigint + ss.s * 60000 + kk.k * 1000, 'by', e.actor, 'commandId', gen_random_uuid())
FROM generate_series($1::bigint, $2::bigint - 1) AS ss(s)
CROSS JOIN generate_series(0, ${EVENTS_PER_SESSION - 1}) AS kk(k)
CROSS JOIN LATERAL (SELECT md5('user ' || (ss.s % ${USERS}))::uuid::text AS host,
                           md5('user ' || ((ss.s * 7 + kk.k) % ${USERS}))::uuid::text AS viewer,
                           md5('user ' || ((ss.s * 7 + 1) % ${USERS}))::uuid::text AS first_viewer,
                           CASE WHEN ss.s % 3 = 0 THEN 'private' ELSE 'public' END AS visibility) AS p
CROSS JOIN LATERAL (SELECT * FROM (VALUES
  (0, 'SessionCreated', jsonb_build_object('title', 'Movie night #' || ss.s, 'videoUrl', 'https://videos.example/' || ss.s || '.mp4',
                                           'hostId', p.host, 'controlMode', 'host', 'visibility', p.visibility), p.host),
  (1, 'ViewerJoined', jsonb_build_object('userId', p.viewer), p.viewer),
  (2, 'ViewerJoined', jsonb_build_object('userId', p.viewer), p.viewer),
  (3, 'ViewerJoined', jsonb_build_object('userId', p.viewer), p.viewer),
  (4, 'PlaybackStarted', jsonb_build_object('position', 0), p.host),
  (5, 'ChatMessagePosted', jsonb_build_object('messageId', md5('chat ' || ss.s || ' ' || kk.k), 'text', 'this scene is something else', 'videoPosition', 12.5), p.viewer),
  (6, 'PlaybackSeeked', jsonb_build_object('from', 30, 'position', 95.5), p.host),
  (7, 'ViewerLeft', jsonb_build_object('userId', p.first_viewer), p.first_viewer),
  (8, 'VisibilityChanged', jsonb_build_object('visibility', CASE WHEN p.visibility = 'public' THEN 'private' ELSE 'public' END), p.host),
  (9, CASE WHEN ss.s < $3::bigint THEN 'SessionEnded' ELSE 'ChatMessagePosted' END,
      CASE WHEN ss.s < $3::bigint THEN jsonb_build_object('reason', 'host')
           ELSE jsonb_build_object('messageId', md5('chat ' || ss.s || ' ' || kk.k), 'text', 'still here', 'videoPosition', 140) END, p.host)
) AS v(n, type, data, actor) WHERE v.n = kk.k) AS e
ORDER BY ss.s / ${INTERLEAVED}, kk.k, ss.s`

export interface SeedRange {
  /** First session number. */
  from: number
  /** Sessions to write. */
  count: number
  /** Sessions numbered from this on stay open; the ones before end. */
  openFrom: number
}

/**
 * Writes `count` sessions of `EVENTS_PER_SESSION` events each straight into the events table,
 * `perTransaction` sessions per INSERT (each its own transaction, as appends are).
 */
export async function seedSessions(pool: pg.Pool, range: SeedRange, perTransaction = 10_000, onProgress?: (sessions: number) => void): Promise<void> {
  const base = Date.now() - (range.from + range.count) * 60_000
  for (let s = range.from; s < range.from + range.count; s += perTransaction) {
    const end = Math.min(s + perTransaction, range.from + range.count)
    await pool.query(SEED, [s, end, range.openFrom, base])
    onProgress?.(end - range.from)
  }
}
