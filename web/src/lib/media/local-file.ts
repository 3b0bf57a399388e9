import type { LocalFile } from '@tandem/contracts'

/** Copies whose lengths differ by at most this much (seconds) count as the same video. */
export const DURATION_TOLERANCE_S = 1

/**
 * What differs between the host's file and the viewer's: `name a vs b` for each of name, size and
 * duration (beyond ±1 s), the viewer's value first. Empty when the copies match.
 */
export function localFileDifferences(host: LocalFile, mine: LocalFile): string[] {
  const differences: string[] = []
  if (mine.name !== host.name) differences.push(`name ${mine.name} vs ${host.name}`)
  if (mine.size !== host.size) {
    let [a, b] = [formatBytes(mine.size), formatBytes(host.size)]
    // sizes that round to the same text are told apart byte for byte
    if (a === b) [a, b] = [`${mine.size.toLocaleString('en')} bytes`, `${host.size.toLocaleString('en')} bytes`]
    differences.push(`size ${a} vs ${b}`)
  }
  if (Math.abs(mine.duration - host.duration) > DURATION_TOLERANCE_S) {
    differences.push(`duration ${formatDuration(mine.duration)} vs ${formatDuration(host.duration)}`)
  }
  return differences
}

/** The warning over the player, or null when the copies match. */
export function mismatchWarning(differences: readonly string[]): string | null {
  return differences.length === 0 ? null : `Your file differs from the host's: ${differences.join(', ')}`
}

/** 12.3 MB, 950 kB, 812 B (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** 1:02:03, 4:05, 0:07 */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds)
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60]
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}
