/**
 * Title search for the lobby: case-insensitive, and compatibility-folded (NFKC), so that
 * full-width letters, ligatures and the like match what people type.
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** The words of a query, folded like titles; none for a blank query. */
export function queryWords(q: string | undefined): string[] {
  return q === undefined ? [] : searchKey(q).split(/\s+/).filter(Boolean)
}

/** Whether a folded title contains every word (anywhere, in any order). */
export function matchesAll(titleKey: string, words: readonly string[]): boolean {
  return words.every((w) => titleKey.includes(w))
}
