import t from 'tap'
import { badgeReducer, initialBadge, type BadgeEvent, type BadgeModel } from '../../src/lib/sync/badge.ts'

function run(steps: Array<[number, BadgeEvent]>, start: BadgeModel = initialBadge(0)): BadgeModel[] {
  const models: BadgeModel[] = []
  let m = start
  for (const [now, event] of steps) {
    m = badgeReducer(m, event, now)
    models.push(m)
  }
  return models
}

t.test('connecting, then in sync', async (t) => {
  t.equal(initialBadge(0).shown, 'connecting')
  const [m] = run([[100, { type: 'connected' }]])
  t.equal(m?.shown, 'in-sync')
})

t.test('a short correction does not flicker the badge; a long one shows', async (t) => {
  const shown = run([
    [0, { type: 'connected' }],
    [100, { type: 'sync', status: 'correcting' }],
    [600, { type: 'tick' }],
    [700, { type: 'sync', status: 'in-sync' }],
    [1000, { type: 'sync', status: 'correcting' }],
    [1500, { type: 'tick' }],
    [2000, { type: 'tick' }],
    [2100, { type: 'sync', status: 'in-sync' }],
    [2400, { type: 'tick' }],
    [2600, { type: 'tick' }],
  ]).map((m) => m.shown)
  t.same(shown, [
    'in-sync',
    'in-sync',
    'in-sync',
    'in-sync',
    'in-sync',
    'in-sync',
    'correcting',
    'correcting',
    'correcting',
    'in-sync',
  ])
})

t.test('buffering counts as correcting', async (t) => {
  const [, , m] = run([
    [0, { type: 'connected' }],
    [0, { type: 'sync', status: 'buffering' }],
    [1000, { type: 'tick' }],
  ])
  t.equal(m?.shown, 'correcting')
})

t.test('drops: reconnecting, and offline after repeated failures or when the browser is offline', async (t) => {
  const shown = run([
    [0, { type: 'connected' }],
    [10, { type: 'disconnected' }],
    [600, { type: 'disconnected' }],
    [1600, { type: 'disconnected' }],
    [3600, { type: 'disconnected' }],
    [8000, { type: 'connected' }],
    [9000, { type: 'network', online: false }],
    [9500, { type: 'network', online: true }],
  ]).map((m) => m.shown)
  t.same(shown, ['in-sync', 'reconnecting', 'reconnecting', 'reconnecting', 'offline', 'in-sync', 'offline', 'in-sync'])
})

t.test('after a reconnect the sync state shows at once (no hysteresis from a connection state)', async (t) => {
  const models = run([
    [0, { type: 'connected' }],
    [0, { type: 'sync', status: 'correcting' }],
    [10, { type: 'disconnected' }],
    [500, { type: 'connected' }],
  ])
  t.equal(models.at(-1)?.shown, 'correcting')
})

t.test('auto-sync off says so at once, whatever the drift; connection trouble still shows', async (t) => {
  const shown = run([
    [0, { type: 'connected' }],
    [100, { type: 'sync', status: 'off' }],
    [5000, { type: 'tick' }],
    [5100, { type: 'disconnected' }],
    [5600, { type: 'connected' }],
    [5700, { type: 'sync', status: 'off' }],
    [6000, { type: 'sync', status: 'in-sync' }],
  ]).map((m) => m.shown)
  t.same(shown, ['in-sync', 'sync-off', 'sync-off', 'reconnecting', 'sync-off', 'sync-off', 'in-sync'])
})
