import { createHash } from 'node:crypto'

/**
 * Colours readable with white initials on top (contrast ≥ 4.5:1), distinct enough to tell
 * viewers apart in a room.
 */
export const avatarPalette = [
  '#c0392b', '#c05621', '#975a16', '#2f855a', '#2c7a7b', '#2b6cb0',
  '#5a67d8', '#805ad5', '#b83280', '#4a5568', '#7b341e', '#276749',
] as const

/** The default avatar colour of a user: stable for a user id, spread evenly over the palette. */
export function avatarColorFor(userId: string): string {
  const digest = createHash('sha256').update(userId).digest()
  return avatarPalette[digest.readUInt32BE(0) % avatarPalette.length]!
}
