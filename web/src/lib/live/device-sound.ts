/**
 * This device's sound: the volume slider (0–100) and the mute switch. Each viewer's own, kept in
 * the browser's storage; never part of the shared playback.
 */
export interface DeviceSound {
  /** 0–100, a whole number */
  volume: number
  muted: boolean
}

export const DEFAULT_SOUND: DeviceSound = { volume: 100, muted: false }

/** the localStorage key the sound is kept under */
export const SOUND_STORAGE_KEY = 'tandem.sound'

/** `value` as a slider position: a whole number from 0 to 100 (anything else: full volume). */
export function clampVolume(value: number): number {
  return Number.isFinite(value) ? Math.round(Math.min(100, Math.max(0, value))) : DEFAULT_SOUND.volume
}

/** What was stored, or the default for anything missing or not understood. */
export function parseSound(stored: string | null): DeviceSound {
  if (stored === null) return { ...DEFAULT_SOUND }
  try {
    const value = JSON.parse(stored) as Partial<Record<keyof DeviceSound, unknown>> | null
    return {
      volume: typeof value?.volume === 'number' ? clampVolume(value.volume) : DEFAULT_SOUND.volume,
      muted: typeof value?.muted === 'boolean' ? value.muted : DEFAULT_SOUND.muted,
    }
  } catch {
    return { ...DEFAULT_SOUND }
  }
}

export function serializeSound(sound: DeviceSound): string {
  return JSON.stringify({ volume: clampVolume(sound.volume), muted: sound.muted })
}

/** The slider's position as the media element's volume (0–1). */
export const elementVolume = (volume: number): number => clampVolume(volume) / 100
