import t from 'tap'
import { randomUUID } from 'node:crypto'
import { avatarColorFor, avatarPalette } from '../../src/profiles/avatar-color.ts'

function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

t.test('the colour of a user id is stable and from the palette', async (t) => {
  const id = randomUUID()
  t.equal(avatarColorFor(id), avatarColorFor(id))
  t.ok((avatarPalette as readonly string[]).includes(avatarColorFor(id)))
  t.match(avatarColorFor(id), /^#[0-9a-f]{6}$/)
})

t.test('ids spread over the whole palette', async (t) => {
  const counts = new Map<string, number>()
  for (let i = 0; i < 1200; i++) {
    const c = avatarColorFor(randomUUID())
    counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  t.equal(counts.size, avatarPalette.length, 'every colour is used')
  t.ok(Math.min(...counts.values()) > 40, 'no colour is rare (expected ~100 each)')
})

t.test('white initials are readable on every palette colour (WCAG contrast >= 4.5)', async (t) => {
  for (const color of avatarPalette) {
    const contrast = 1.05 / (relativeLuminance(color) + 0.05)
    t.ok(contrast >= 4.5, `${color}: ${contrast.toFixed(2)}`)
  }
})
