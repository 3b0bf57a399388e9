import t from 'tap'
import { playerShortcut, type KeyPress } from '../../src/lib/live/shortcuts.ts'
import { formatTime } from '../../src/lib/live/time-format.ts'

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  targetTag: 'BODY',
  targetRole: null,
  targetEditable: false,
  ...over,
})

t.test('space and k play or pause, the arrows step', async (t) => {
  t.equal(playerShortcut(press(' ')), 'toggle-play')
  t.equal(playerShortcut(press('k')), 'toggle-play')
  t.equal(playerShortcut(press('ArrowLeft')), 'back')
  t.equal(playerShortcut(press('ArrowRight')), 'forward')
  t.equal(playerShortcut(press('ArrowUp')), undefined, 'up and down scroll the page')
  t.equal(playerShortcut(press('a')), undefined)
})

t.test('keys meant for something else are left alone', async (t) => {
  t.equal(playerShortcut(press(' ', { targetTag: 'INPUT' })), undefined, 'typing a chat message')
  t.equal(playerShortcut(press('ArrowLeft', { targetTag: 'TEXTAREA' })), undefined)
  t.equal(playerShortcut(press('ArrowLeft', { targetTag: 'SELECT' })), undefined)
  t.equal(playerShortcut(press(' ', { targetTag: 'DIV', targetEditable: true })), undefined)
  t.equal(playerShortcut(press(' ', { targetTag: 'BUTTON' })), undefined, 'space presses a focused button')
  t.equal(playerShortcut(press('ArrowRight', { targetTag: 'BUTTON' })), 'forward')
  t.equal(playerShortcut(press('ArrowRight', { targetTag: 'DIV', targetRole: 'slider' })), undefined, 'the timeline has its own arrows')
  t.equal(playerShortcut(press('ArrowRight', { ctrlKey: true })), undefined)
  t.equal(playerShortcut(press(' ', { metaKey: true })), undefined)
})

t.test('times read like a player shows them', async (t) => {
  t.equal(formatTime(0), '0:00')
  t.equal(formatTime(65.9), '1:05')
  t.equal(formatTime(3723), '1:02:03')
  t.equal(formatTime(-3), '0:00')
  t.equal(formatTime(Number.NaN), '0:00')
})
