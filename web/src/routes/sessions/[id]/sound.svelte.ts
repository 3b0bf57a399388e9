import { SOUND_STORAGE_KEY, clampVolume, elementVolume, parseSound, serializeSound } from '$lib/live/device-sound.ts'

/** Half volume: where unmuting a silenced (volume 0) player starts again. */
const UNMUTE_VOLUME = 50

/**
 * This viewer's volume and mute switch, applied to the page's `<video>` and remembered on the
 * device (localStorage). Nothing here is shared or seen by the sync engine. The element is the
 * truth: if the browser or anything else changes its sound (say, a muted start an autoplay
 * policy allows), the controls show that, and the device keeps what the viewer last chose.
 */
export class DeviceSoundControl {
  /** 0–100 */
  volume = $state(100)
  muted = $state(false)
  #video: HTMLVideoElement | undefined
  readonly #storage: Storage | undefined

  constructor(storage: Storage | undefined = browserStorage()) {
    this.#storage = storage
    const stored = parseSound(readStorage(storage))
    this.volume = stored.volume
    this.muted = stored.muted
  }

  /** Applies the remembered sound to `video` and follows its changes; returns the teardown. */
  attach(video: HTMLVideoElement): () => void {
    this.#video = video
    this.#apply()
    const onVolumeChange = () => {
      this.muted = video.muted
      this.volume = clampVolume(video.volume * 100)
    }
    video.addEventListener('volumechange', onVolumeChange)
    return () => {
      video.removeEventListener('volumechange', onVolumeChange)
      this.#video = undefined
    }
  }

  /** The slider moved: a volume above 0 also unmutes, as players do. */
  setVolume(volume: number): void {
    this.volume = clampVolume(volume)
    if (this.volume > 0) this.muted = false
    this.#chosen()
  }

  toggleMute(): void {
    this.muted = !this.muted
    if (!this.muted && this.volume === 0) this.volume = UNMUTE_VOLUME
    this.#chosen()
  }

  #chosen(): void {
    this.#apply()
    try {
      this.#storage?.setItem(SOUND_STORAGE_KEY, serializeSound({ volume: this.volume, muted: this.muted }))
    } catch {
      // storage full or refused (private mode): the choice holds for this page only
    }
  }

  #apply(): void {
    const video = this.#video
    if (!video) return
    video.volume = elementVolume(this.volume)
    video.muted = this.muted
  }
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}

function readStorage(storage: Storage | undefined): string | null {
  try {
    return storage?.getItem(SOUND_STORAGE_KEY) ?? null
  } catch {
    return null
  }
}
