/** Why a source did not load, in words for the sentence "This link did not load as video: …". */

/** MediaError codes (HTMLMediaElement.error.code). */
const MEDIA_ERROR_REASONS: Record<number, string> = {
  1: 'loading was stopped',
  2: 'a network error interrupted it',
  3: 'the video could not be decoded',
  4: 'the address did not answer with a video this browser can play',
}

export function mediaErrorReason(error: { code: number } | null): string {
  return (error && MEDIA_ERROR_REASONS[error.code]) ?? 'the browser could not play it'
}

/** What an hls.js ERROR event says (the fields Tandem reads). */
export interface HlsErrorData {
  details: string
  fatal: boolean
  response?: { code?: number | undefined } | undefined
}

const HLS_ERROR_REASONS: Record<string, string> = {
  manifestParsingError: 'the address is not an HLS playlist',
  manifestIncompatibleCodecsError: "this browser cannot play the stream's format",
  bufferAddCodecError: "this browser cannot play the stream's format",
  bufferIncompatibleCodecsError: "this browser cannot play the stream's format",
  levelEmptyError: 'the playlist lists no video',
}

const LOAD_ERRORS: Record<string, string> = {
  manifestLoadError: 'the playlist',
  manifestLoadTimeOut: 'the playlist',
  levelLoadError: 'a variant playlist',
  levelLoadTimeOut: 'a variant playlist',
  fragLoadError: 'a part of the video',
  fragLoadTimeOut: 'a part of the video',
  keyLoadError: 'a decryption key',
}

export function hlsErrorReason(data: HlsErrorData): string {
  const known = HLS_ERROR_REASONS[data.details]
  if (known) return known
  const what = LOAD_ERRORS[data.details]
  if (what) {
    const status = data.response?.code ?? 0
    if (data.details.endsWith('TimeOut')) return `${what} did not arrive in time`
    // status 0: no answer at all, or one the browser hid (another site that does not allow it: CORS)
    return status > 0
      ? `${what} could not be fetched (HTTP ${status})`
      : `${what} could not be fetched (the address did not answer, or does not let other sites load it)`
  }
  return `the stream failed (${data.details})`
}
