import { SESSION_LIMITS } from '@tandem/contracts'
import { isHlsUrl } from './item-label.ts'

/** Why a link cannot be queued, found in the browser before anything is sent. */
export type SourceProblemCode =
  | 'missing_url'
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'url_too_long'
  | 'source_unreachable'
  | 'subtitles_unreachable'
  | 'not_webvtt'
  | 'missing_file'
  | 'unreadable_file'

export interface SourceProblem {
  code: SourceProblemCode
  message: string
}

export const problem = (code: SourceProblemCode, message: string): SourceProblem => ({ code, message })

/** The checks every link gets: a web address, http(s) only (no javascript:, data:, file:), not too long. */
export function checkLink(text: string): SourceProblem | undefined {
  const value = text.trim()
  if (value === '') return problem('missing_url', 'Enter the link of a video.')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return problem('invalid_url', 'This is not a web address.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem('unsupported_scheme', 'Only http(s) links can be played.')
  if (value.length > SESSION_LIMITS.videoUrlMaxChars) return problem('url_too_long', `Links can be at most ${SESSION_LIMITS.videoUrlMaxChars} characters long.`)
  return undefined
}

/** How the browser tried a link: the page's implementations load it, the tests fake them. */
export interface SourceLoaders {
  /** Resolves once a detached video element knows the link's duration; rejects with the reason it did not. */
  loadMetadata(url: string, timeoutMs: number): Promise<void>
  /** The text at `url`; rejects with the reason it could not be fetched. */
  fetchText(url: string, timeoutMs: number): Promise<string>
}

export const PROBE_TIMEOUT_MS = 10_000

/**
 * Whether `url` plays as video here: its metadata loads in a video element, or for an HLS
 * playlist (which the player plays through hls.js, not natively) the playlist can be fetched and
 * is one. Resolves with the problem, or undefined.
 */
export async function probeVideo(url: string, loaders: SourceLoaders, timeoutMs = PROBE_TIMEOUT_MS): Promise<SourceProblem | undefined> {
  try {
    if (isHlsUrl(url)) {
      const text = await loaders.fetchText(url, timeoutMs)
      if (!isHlsPlaylist(text)) return unreachable('it is not an HLS playlist (no #EXTM3U at its start)')
    } else {
      await loaders.loadMetadata(url, timeoutMs)
    }
    return undefined
  } catch (error) {
    return unreachable(reasonOf(error))
  }
}

/** Whether the subtitles at `url` are WebVTT. Resolves with the problem, or undefined. */
export async function probeSubtitles(url: string, loaders: Pick<SourceLoaders, 'fetchText'>, timeoutMs = PROBE_TIMEOUT_MS): Promise<SourceProblem | undefined> {
  let text: string
  try {
    text = await loaders.fetchText(url, timeoutMs)
  } catch (error) {
    return problem('subtitles_unreachable', `The subtitle file did not load: ${reasonOf(error)}.`)
  }
  return isWebVtt(text) ? undefined : problem('not_webvtt', 'This subtitle file is not WebVTT.')
}

/** A WebVTT file starts with "WEBVTT" (after an optional byte order mark), then a space, tab or line end. */
export function isWebVtt(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text)
}

export function isHlsPlaylist(text: string): boolean {
  return /^\uFEFF?#EXTM3U/.test(text.trimStart())
}

function unreachable(reason: string): SourceProblem {
  return problem('source_unreachable', `This link did not load as video: ${reason}.`)
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text || 'unknown error').replace(/\.$/, '')
}
