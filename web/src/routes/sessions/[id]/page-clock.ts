import type { Clock } from '$lib/sync/index.ts'

/** Performance time is monotonic; the wall clock can be stepped under a running video. */
export const pageClock: Clock = { now: () => performance.timeOrigin + performance.now() }
