import { pageClock } from './page-clock.ts'
import type { SyncedPlayer } from './player.svelte.ts'

/**
 * `window.tandemWatch.sample()`: the player's position next to where the shared timeline is by
 * the server's clock. Installed only when the web server runs with `PUBLIC_TANDEM_TEST_PROBE=1`
 * (the browser tests measure sync with it). Returns the teardown.
 */
export function installTestProbe(player: SyncedPlayer): () => void {
  const { engine } = player
  const probe = {
    sample: () => {
      const video = player.video
      return {
        localNow: pageClock.now(),
        serverNow: engine.serverNow(),
        currentTime: video?.currentTime ?? null,
        paused: video?.paused ?? null,
        playbackRate: video?.playbackRate ?? null,
        sessionRate: engine.playback?.rate ?? null,
        expected: engine.expectedPosition(player.knownDuration()) ?? null,
        mode: engine.mode,
        offsetErrorBound: engine.offset.estimate?.errorBound ?? null,
        seekLatency: engine.controller.seekLatency,
        stats: { ...engine.controller.stats },
      }
    },
  }
  Object.assign(window, { tandemWatch: probe })
  return () => Reflect.deleteProperty(window, 'tandemWatch')
}
