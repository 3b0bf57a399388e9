import type { SyncStatus } from './sync-decision.ts'

/**
 * The connection/sync badge of the watch page. `connecting` is only shown before the first
 * `welcome`; after that the badge is one of in sync, correcting, reconnecting, offline, or
 * sync off (auto-sync is off, so whether the player is in sync is nobody's promise).
 */
export type BadgeState = 'connecting' | 'in-sync' | 'correcting' | 'reconnecting' | 'offline' | 'sync-off'

export type BadgeEvent =
  /** `welcome` received: the socket is live and the state is current */
  | { type: 'connected' }
  /** the socket closed or a connection attempt failed; a retry is scheduled */
  | { type: 'disconnected' }
  /** the browser's `online` / `offline` events */
  | { type: 'network'; online: boolean }
  | { type: 'sync'; status: SyncStatus }
  /** time passed (the badge's hysteresis depends on it) */
  | { type: 'tick' }

export interface BadgeOptions {
  /** correcting must last this long before the badge says so: a short nudge is invisible */
  correctingAfterMs: number
  /** and in sync this long before the badge goes back, so it does not flicker */
  inSyncAfterMs: number
  /** consecutive failed connection attempts after which the badge says offline */
  offlineAfterFailures: number
}

export const DEFAULT_BADGE_OPTIONS: BadgeOptions = {
  correctingAfterMs: 1000,
  inSyncAfterMs: 500,
  offlineAfterFailures: 4,
}

export interface BadgeModel {
  shown: BadgeState
  connection: 'connecting' | 'open' | 'closed'
  online: boolean
  failures: number
  sync: SyncStatus
  /** local ms at which `sync` last changed between in-sync and not */
  syncSince: number
}

export function initialBadge(now: number): BadgeModel {
  return { shown: 'connecting', connection: 'connecting', online: true, failures: 0, sync: 'in-sync', syncSince: now }
}

export function badgeReducer(
  model: BadgeModel,
  event: BadgeEvent,
  now: number,
  options: BadgeOptions = DEFAULT_BADGE_OPTIONS,
): BadgeModel {
  const next = { ...model }
  switch (event.type) {
    case 'connected':
      next.connection = 'open'
      next.failures = 0
      break
    case 'disconnected':
      next.connection = 'closed'
      next.failures = model.failures + 1
      break
    case 'network':
      next.online = event.online
      break
    case 'sync':
      if ((event.status === 'in-sync') !== (model.sync === 'in-sync')) next.syncSince = now
      next.sync = event.status
      break
    case 'tick':
      break
  }
  next.shown = shownState(next, model.shown, now, options)
  return next
}

function shownState(m: BadgeModel, previous: BadgeState, now: number, o: BadgeOptions): BadgeState {
  if (!m.online) return 'offline'
  if (m.connection === 'closed') return m.failures >= o.offlineAfterFailures ? 'offline' : 'reconnecting'
  if (m.connection === 'connecting') return 'connecting'
  // no hysteresis: switching auto-sync off or on is a choice, not a flicker
  if (m.sync === 'off') return 'sync-off'
  const raw: BadgeState = m.sync === 'in-sync' ? 'in-sync' : 'correcting'
  if (previous !== 'in-sync' && previous !== 'correcting') return raw
  if (raw === previous) return raw
  const hold = raw === 'correcting' ? o.correctingAfterMs : o.inSyncAfterMs
  return now - m.syncSince >= hold ? raw : previous
}
