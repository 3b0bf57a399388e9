/** The player's keyboard shortcuts. */
export type PlayerShortcut = 'toggle-play' | 'back' | 'forward'

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
  if (press.targetEditable || TYPING_TAGS.has(press.targetTag) || press.targetRole === 'slider') return undefined
  switch (press.key) {
    case ' ':
    case 'k':
      return press.targetTag === 'BUTTON' || press.targetTag === 'A' ? undefined : 'toggle-play'
    case 'ArrowLeft':
      return 'back'
    case 'ArrowRight':
      return 'forward'
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
