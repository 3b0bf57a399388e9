/** A subtitles file, fetched and checked by the page, handed to a `<track>` as a blob: URL. */

export type SubtitlesLoad = { ok: true; vtt: string } | { ok: false; reason: string }

/** The start of a WebVTT file: "WEBVTT" after an optional byte order mark, then a space, tab or line end. */
export function isWebVtt(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text)
}

/**
 * Fetches `url` without credentials and checks that it is WebVTT. Fetching it here, rather than
 * letting the `<track>` load it, keeps the video element free of `crossorigin` (a video from a
 * host that sends no CORS headers still plays) and tells a failed load from a file that is not
 * WebVTT.
 */
export async function loadSubtitles(url: string, fetcher: typeof fetch = fetch): Promise<SubtitlesLoad> {
  let response: Response
  try {
    response = await fetcher(url, { credentials: 'omit', cache: 'no-cache' })
  } catch {
    return { ok: false, reason: 'the address did not answer, or does not let other sites load it' }
  }
  if (!response.ok) return { ok: false, reason: `the address answered HTTP ${response.status}` }
  const text = await response.text().catch(() => '')
  if (!isWebVtt(text)) return { ok: false, reason: 'the file is not WebVTT' }
  return { ok: true, vtt: text }
}
