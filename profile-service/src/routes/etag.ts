/** The entity tag of a profile version: a strong tag, `"<version>"`. */
export function etagOf(version: number): string {
  return `"${version}"`
}

/**
 * Versions named by the strong tags of an `If-Match` / `If-None-Match` list; weak or malformed
 * tags name none. Tags compare as strings (RFC 9110), so `"01"` is not the tag of version 1.
 */
function versionsIn(header: string): number[] {
  const versions: number[] = []
  for (const tag of header.split(',')) {
    const match = /^"([1-9]\d{0,8})"$/.exec(tag.trim())
    if (match) versions.push(Number(match[1]))
  }
  return versions
}

/**
 * What an `If-Match` header asks for: `'any'` for `*`, else the versions it accepts (possibly
 * none, when every tag is weak or malformed, which can never match), or undefined when absent.
 */
export function parseIfMatch(header: string | undefined): 'any' | number[] | undefined {
  if (header === undefined) return undefined
  if (header.trim() === '*') return 'any'
  return versionsIn(header)
}

/** True when `If-None-Match` names the current version (or `*`), so a 304 can be sent. */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  // If-None-Match uses weak comparison: W/"3" matches version 3 too.
  return versionsIn(header.replaceAll('W/', '')).includes(version)
}
