import type { Person } from '../live/profile-directory.ts'

/** Calls a page in the browser makes to its own web server (`src/routes/api`). */

/** Names and colours of `ids` (`GET /api/profiles`). */
export async function fetchPeople(ids: readonly string[]): Promise<Person[]> {
  const response = await fetch(`/api/profiles?ids=${encodeURIComponent(ids.join(','))}`)
  if (!response.ok) throw new Error(`profiles: ${response.status}`)
  return ((await response.json()) as { people: Person[] }).people
}

/** A fresh access token for the session socket (`GET /api/token`); read by `pageTokenSource`. */
export function fetchSocketToken(): Promise<Response> {
  return fetch('/api/token', { cache: 'no-store' })
}
