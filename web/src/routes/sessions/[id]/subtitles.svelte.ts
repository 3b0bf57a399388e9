import type { MediaItem } from '@tandem/contracts'
import { loadSubtitles } from '$lib/media/subtitles.ts'

/** Where this device remembers whether the viewer wants subtitles. */
const STORAGE_KEY = 'tandem.subtitles'

/**
 * This viewer's subtitles: on or off (off by default, remembered on this device), and the
 * current item's WebVTT file, fetched and checked when they are first wanted and handed to the
 * `<track>` as a blob: URL.
 */
export class PlayerSubtitles {
  on: boolean = $state(false)
  /** the `<track>`'s src: a blob: URL of the current item's subtitles, once loaded */
  trackUrl: string | null = $state(null)
  /** why the subtitles cannot be shown, or null */
  notice: string | null = $state(null)
  /** the current item has subtitles */
  available = $state(false)
  #url: string | null = null
  #generation = 0

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = deviceStorage()) {
    this.#storage = storage
    this.on = readSetting(storage)
  }

  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | undefined

  /** A new item: its subtitles (if any), loaded at once when they are on. */
  show(item: MediaItem): void {
    this.#release()
    this.#url = item.subtitlesUrl
    this.available = item.subtitlesUrl !== null
    this.notice = null
    if (this.on) this.#load()
  }

  toggle(): void {
    this.on = !this.on
    try {
      this.#storage?.setItem(STORAGE_KEY, this.on ? 'on' : 'off')
    } catch {
      // storage full or blocked: the choice lasts for this page
    }
    if (!this.on) return
    if (!this.available) this.notice = 'This video has no subtitles'
    else if (this.trackUrl === null) this.#load()
  }

  /** The `<track>` could not read the file. */
  trackFailed(): void {
    this.notice = 'The subtitles could not be read'
  }

  destroy(): void {
    this.#release()
  }

  #load(): void {
    const url = this.#url
    if (url === null) return
    const generation = this.#generation
    this.notice = null
    void loadSubtitles(url).then((result) => {
      if (generation !== this.#generation) return
      if (!result.ok) {
        this.notice = `The subtitles did not load: ${result.reason}`
        return
      }
      this.trackUrl = URL.createObjectURL(new Blob([result.vtt], { type: 'text/vtt' }))
    })
  }

  #release(): void {
    this.#generation++
    if (this.trackUrl) URL.revokeObjectURL(this.trackUrl)
    this.trackUrl = null
  }
}

/** The browser's localStorage; none while the page renders on the server, or when the browser blocks it. */
function deviceStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage
  } catch {
    return undefined
  }
}

function readSetting(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  try {
    return storage?.getItem(STORAGE_KEY) === 'on'
  } catch {
    return false
  }
}
