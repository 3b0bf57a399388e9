/** NUL and unpaired surrogates: no text means them, and a JSON store (jsonb) cannot hold them. */
const unstorable = /\u0000|\p{Cs}/u

/** True when `text` can be stored and sent back exactly as given. */
export function isStorableText(text: string): boolean {
  return !unstorable.test(text)
}
