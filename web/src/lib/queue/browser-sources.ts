import type { LocalFile } from '@tandem/contracts'
import { problem, type SourceLoaders, type SourceProblem } from './source-check.ts'

/** The browser's side of the source checks: a detached video element, and fetch. */
export const browserLoaders: SourceLoaders = {
  loadMetadata: async (url, timeoutMs) => void (await durationIn(url, timeoutMs)),
  async fetchText(url, timeoutMs) {
    let response: Response
    try {
      response = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      if ((error as { name?: string } | null)?.name === 'TimeoutError') throw new Error(`it did not answer within ${timeoutMs / 1000} s`)
      throw new Error('it could not be fetched (unreachable, or its server does not let other sites read it)')
    }
    if (!response.ok) throw new Error(`the server answered ${response.status}`)
    return response.text()
  },
}

/**
 * A file the adder picked, as the others are told of it: name, size and length. It is never
 * uploaded: a detached video element reads its length through an object URL.
 */
export async function readLocalFile(file: File, timeoutMs = 10_000): Promise<LocalFile | SourceProblem> {
  const url = URL.createObjectURL(file)
  try {
    const duration = await durationIn(url, timeoutMs)
    if (!Number.isFinite(duration) || duration <= 0) return problem('unreadable_file', 'This file has no length this browser can read.')
    return { name: file.name, size: file.size, duration }
  } catch (error) {
    return problem('unreadable_file', `This file did not open as video here: ${(error as Error).message}.`)
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** The duration a detached video element finds at `url` (seconds); rejects with the reason it found none. */
function durationIn(url: string, timeoutMs: number): Promise<number> {
  const video = document.createElement('video')
  video.preload = 'metadata'
  video.muted = true
  return new Promise<number>((resolve, reject) => {
    let settled = false
    const settle = (error: Error | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const duration = video.duration
      video.removeAttribute('src')
      video.load()
      if (error) reject(error)
      else resolve(duration)
    }
    const timer = setTimeout(() => settle(new Error(`it did not answer within ${timeoutMs / 1000} s`)), timeoutMs)
    video.addEventListener('loadedmetadata', () => settle(null), { once: true })
    video.addEventListener('error', () => settle(new Error(mediaErrorReason(video.error))), { once: true })
    video.src = url
  })
}

function mediaErrorReason(error: MediaError | null): string {
  switch (error?.code) {
    case 1:
      return 'loading was aborted'
    case 2:
      return 'a network error stopped it'
    case 3:
      return 'it could not be decoded'
    default:
      return 'the address could not be loaded, or its format is not one this browser plays'
  }
}
