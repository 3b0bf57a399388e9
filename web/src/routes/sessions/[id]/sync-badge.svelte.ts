import type { ConnectionStatus } from '$lib/live/index.ts'
import { badgeReducer, initialBadge, type BadgeEvent, type BadgeModel, type BadgeState } from '$lib/sync/index.ts'
import { pageClock } from './page-clock.ts'

/** The badge next to the title: connection, network and sync state, steadied by the badge reducer. */
export class SyncBadgeState {
  shown: BadgeState = $state('connecting')
  #model: BadgeModel = initialBadge(pageClock.now())

  event(event: BadgeEvent): void {
    this.#model = badgeReducer(this.#model, event, pageClock.now())
    this.shown = this.#model.shown
  }

  onConnection(status: ConnectionStatus): void {
    if (status.phase === 'open') this.event({ type: 'connected' })
    else if (status.phase === 'retrying') this.event({ type: 'disconnected' })
    else if (status.phase === 'stopped' && status.reason !== 'closed') this.event({ type: 'disconnected' })
  }

  /** Follows the browser's online/offline events; `onOnline` runs when the network is back. Returns the teardown. */
  watchNetwork(onOnline: () => void): () => void {
    const online = () => {
      this.event({ type: 'network', online: true })
      onOnline()
    }
    const offline = () => this.event({ type: 'network', online: false })
    window.addEventListener('online', online)
    window.addEventListener('offline', offline)
    if (!navigator.onLine) offline()
    return () => {
      window.removeEventListener('online', online)
      window.removeEventListener('offline', offline)
    }
  }
}
