import type { MediaItem } from '@tandem/contracts'
import { playHls } from '$lib/media/hls-source.ts'
import { localFileDifferences, mismatchWarning } from '$lib/media/local-file.ts'
import { hlsErrorReason, mediaErrorReason } from '$lib/media/source-error.ts'
import { isHlsMimeType, looksLikeHlsPlaylist, sourcePlan, type SourcePlan } from '$lib/media/source-kind.ts'

/** HTMLMediaElement's MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED */
const SRC_NOT_SUPPORTED = 4

/** What the player needs from the sync loop when its element gets other media. */
export interface MediaChangeListener {
  mediaChanging(itemId: string): void
}

/**
 * What the page's `<video>` plays: the room's item as a file URL, as HLS (hls.js), or as the
 * viewer's own copy of a local file (an object URL, never uploaded), and what went wrong with it.
 * Everything an item set up (an hls.js instance, an object URL) is let go of when the next one
 * comes.
 */
export class PlayerSource {
  /** "This link did not load as video: …", or null */
  error: string | null = $state(null)
  /** kind local: the host's file name, while this viewer has not opened their copy */
  needsFile: string | null = $state(null)
  /** kind local: "Your file differs from the host's: …", or null */
  mismatch: string | null = $state(null)
  readonly #player: MediaChangeListener
  #video: HTMLVideoElement | undefined
  #item: MediaItem | undefined
  #plan: SourcePlan | undefined
  /** counts the sources given to the element: an answer for an older one is ignored */
  #generation = 0
  #release: () => void = () => {}
  #triedAsPlaylist = false

  constructor(player: MediaChangeListener) {
    this.#player = player
  }

  /** Plays the room's `item` in `video` (a new item, or the first). Returns the teardown of the element's listeners. */
  attach(video: HTMLVideoElement): () => void {
    this.#video = video
    const onError = () => this.#onElementError()
    const onMetadata = () => this.#onMetadata()
    video.addEventListener('error', onError)
    video.addEventListener('loadedmetadata', onMetadata)
    return () => {
      video.removeEventListener('error', onError)
      video.removeEventListener('loadedmetadata', onMetadata)
      this.#clear()
      this.#video = undefined
    }
  }

  show(item: MediaItem): void {
    this.#item = item
    this.#plan = sourcePlan(item)
    this.#triedAsPlaylist = false
    this.error = null
    this.mismatch = null
    this.needsFile = null
    const plan = this.#plan
    if (plan.type === 'local') {
      this.#clear()
      this.needsFile = plan.file.name
    } else if (plan.type === 'hls') {
      this.#playHls(plan.url)
    } else {
      this.#setSource(plan.url)
    }
  }

  /** The viewer's copy of the local item: played from their disk through an object URL. */
  openFile(file: File): void {
    if (this.#plan?.type !== 'local') return
    const url = URL.createObjectURL(file)
    this.#setSource(url, () => URL.revokeObjectURL(url))
    this.#chosen = { name: file.name, size: file.size }
    this.needsFile = null
    this.mismatch = null
    this.error = null
  }

  #chosen: { name: string; size: number } | undefined

  /** Empties the element and lets go of what the last source held. */
  #clear(): number {
    this.#release()
    this.#release = () => {}
    this.#chosen = undefined
    const video = this.#video
    if (video && (video.hasAttribute('src') || video.currentSrc !== '')) {
      video.removeAttribute('src')
      video.load()
    }
    return ++this.#generation
  }

  #setSource(url: string, release: () => void = () => {}): void {
    this.#clear()
    this.#release = release
    const video = this.#video
    if (!video || !this.#item) return
    this.#player.mediaChanging(this.#item.itemId)
    video.src = url
  }

  #playHls(url: string): void {
    const generation = this.#clear()
    const video = this.#video
    if (!video || !this.#item) return
    this.#player.mediaChanging(this.#item.itemId)
    const fail = (reason: string) => {
      if (generation === this.#generation) this.error = `This link did not load as video: ${reason}`
    }
    playHls(video, url, (data) => fail(hlsErrorReason(data))).then(
      (playback) => {
        if ('unsupported' in playback) return fail('this browser cannot play HLS streams')
        if (generation === this.#generation) this.#release = () => playback.stop()
        else playback.stop()
      },
      () => fail('the HLS player did not load (reload the page)'),
    )
  }

  #onElementError(): void {
    const video = this.#video
    const plan = this.#plan
    // an emptied element (removeAttribute('src') + load()) may report the missing source: not an error of the item
    if (!video || !plan || !video.error || !video.getAttribute('src')) return
    if (plan.type === 'file' && video.error.code === SRC_NOT_SUPPORTED && !this.#triedAsPlaylist) {
      this.#triedAsPlaylist = true
      void this.#retryAsPlaylist(plan.url, this.#generation, mediaErrorReason(video.error))
      return
    }
    const what = plan.type === 'local' ? 'This file did not play' : 'This link did not load as video'
    this.error = `${what}: ${mediaErrorReason(video.error)}`
  }

  /** An address without `.m3u8` may still be an HLS playlist: a look at what it serves decides. */
  async #retryAsPlaylist(url: string, generation: number, reason: string): Promise<void> {
    let playlist = false
    try {
      const response = await fetch(url, { credentials: 'omit' })
      playlist = response.ok && (isHlsMimeType(response.headers.get('content-type')) || looksLikeHlsPlaylist(await firstText(response)))
    } catch {
      // unreachable, or not readable from this page (CORS): the element's own reason stands
    }
    if (generation !== this.#generation) return
    if (playlist) this.#playHls(url)
    else this.error = `This link did not load as video: ${reason}`
  }

  #onMetadata(): void {
    const host = this.#plan?.type === 'local' ? this.#plan.file : undefined
    const video = this.#video
    if (!host || !this.#chosen || !video) return
    const mine = { ...this.#chosen, duration: Number.isFinite(video.duration) ? video.duration : 0 }
    this.mismatch = mismatchWarning(localFileDifferences(host, mine))
  }
}

/** The start of a response's body (its first chunk; the rest is not downloaded). */
async function firstText(response: Response): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const { value } = await reader.read()
  void reader.cancel().catch(() => {})
  return value ? new TextDecoder().decode(value.slice(0, 64)) : ''
}
