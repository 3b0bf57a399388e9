/**
 * The player's keyboard shortcuts: the first three act on the shared playback, the others only
 * on this viewer's player (fullscreen, sound, subtitles) or page (the list of shortcuts).
 */
export type PlayerShortcut = 'toggle-play' | 'back' | 'forward' | 'fullscreen' | 'mute' | 'subtitles' | 'help'

/** The shortcuts as the "?" dialog lists them. */
export const SHORTCUT_LIST: readonly { keys: string[]; action: PlayerShortcut; description: string }[] = [
  { keys: ['Space', 'k'], action: 'toggle-play', description: 'Play or pause' },
  { keys: ['←'], action: 'back', description: 'Back 5 seconds' },
  { keys: ['→'], action: 'forward', description: 'Forward 5 seconds' },
  { keys: ['f'], action: 'fullscreen', description: 'Fullscreen on or off' },
  { keys: ['m'], action: 'mute', description: 'Mute or unmute' },
  { keys: ['c'], action: 'subtitles', description: 'Subtitles on or off' },
  { keys: ['?'], action: 'help', description: 'Show these shortcuts' },
]

/** Seconds an arrow key moves the shared position. */
export const ARROW_STEP_SECONDS = 5

export interface KeyPress {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  /** the focused element: its tag name and role */
  targetTag: string
  targetRole: string | null
  targetEditable: boolean
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

/**
 * Space plays or pauses, the arrows step ±5 s, unless the key is meant for something else: a
 * text field, a select, a button (space presses it), or the timeline slider (whose arrows are
 * its own).
 */
export function playerShortcut(press: KeyPress): PlayerShortcut | undefined {
  if (press.altKey || press.ctrlKey || press.metaKey) return undefined
  // ? is typed with shift on most layouts; other keys with shift are left alone by being case-sensitive
  if (press.targetEditable || TYPING_TAGS.has(press.targetTag) || press.targetRole === 'slider') return undefined
  switch (press.key) {
    case ' ':
    case 'k':
      return press.targetTag === 'BUTTON' || press.targetTag === 'A' ? undefined : 'toggle-play'
    case 'ArrowLeft':
      return 'back'
    case 'ArrowRight':
      return 'forward'
    case 'f':
      return 'fullscreen'
    case 'm':
      return 'mute'
    case 'c':
      return 'subtitles'
    case '?':
      return 'help'
    default:
      return undefined
  }
}

export function keyPressOf(event: KeyboardEvent): KeyPress {
  const target = event.target instanceof HTMLElement ? event.target : null
  return {
    key: event.key,
    altKey: event.altKey,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    targetTag: target?.tagName ?? '',
    targetRole: target?.getAttribute('role') ?? null,
    targetEditable: target?.isContentEditable ?? false,
  }
}
