import type { PresenceViewer } from '@tandem/contracts'

/**
 * The line that tells the room who it is waiting for: "Ben is buffering…", "Ben and Cleo are
 * buffering…", "Ben, Cleo and 3 others are buffering…"; null when nobody else is. The viewer
 * themself is left out (their badge already says so). Names in alphabetical order, each person
 * once (someone may watch in two tabs).
 */
export function bufferingNote(viewers: readonly PresenceViewer[], meId: string, nameOf: (userId: string) => string): string | null {
  const ids = [...new Set(viewers.filter((v) => v.buffering && v.userId !== meId).map((v) => v.userId))]
  const names = ids.map(nameOf).sort((a, b) => a.localeCompare(b))
  const [first, second] = names
  if (first === undefined) return null
  if (second === undefined) return `${first} is buffering…`
  if (names.length === 2) return `${first} and ${second} are buffering…`
  const others = names.length - 2
  return `${first}, ${second} and ${others} other${others === 1 ? '' : 's'} are buffering…`
}
