import t from 'tap'
import { purgeExpired } from '../src/maintenance.ts'
import { register, startAuthApp } from './fixtures/auth-app.ts'

t.test('purging removes only what can no longer matter', async (t) => {
  const { app } = await startAuthApp(t)
  const db = app.auth.pool
  const stale = await register(app)
  const fresh = await register(app)
  await db.query(
    `UPDATE refresh_tokens SET expires_at = now() - interval '1 minute'
      WHERE family_id IN (SELECT id FROM refresh_token_families WHERE user_id = $1)`,
    [stale.user.id],
  )
  await db.query(`INSERT INTO rate_limit_counters VALUES ('old', 3, now() - interval '1 second'), ('live', 3, now() + interval '1 hour')`)
  const events = (await db.query('SELECT id FROM outbox ORDER BY id')).rows.map((r: { id: string }) => r.id)
  const old = '00000000-0000-4000-8000-000000000001'
  await db.query(`INSERT INTO outbox (id, event_type, payload, published_at) VALUES ($1, 'user.registered', '{}', now() - interval '8 days')`, [old])

  await db.query(
    `INSERT INTO login_failure_streaks (account_key, failures, last_failure_at) VALUES ('quiet', 3, now() - interval '2 days'), ('busy', 3, now())`,
  )

  const purged = await purgeExpired(db)
  t.same(purged, { rateLimitCounters: 1, publishedEvents: 1, refreshTokenFamilies: 1, loginBackoff: 1 })
  t.same((await db.query('SELECT account_key FROM login_failure_streaks')).rows, [{ account_key: 'busy' }])
  t.same((await db.query("SELECT key FROM rate_limit_counters WHERE key IN ('old', 'live')")).rows, [{ key: 'live' }])
  const kept = (await db.query('SELECT id FROM outbox ORDER BY id')).rows.map((r: { id: string }) => r.id)
  t.same(kept, events, 'recent events are kept, published or not')
  const families = await db.query('SELECT user_id FROM refresh_token_families')
  t.same(families.rows.map((r: { user_id: string }) => r.user_id), [fresh.user.id])
})
