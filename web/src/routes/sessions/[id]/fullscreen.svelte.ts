/**
 * Fullscreen for the stage (the player with its overlays and controls, not the bare `<video>`,
 * so the sync badge and the chat overlay stay in view). `active` follows the document, whichever
 * way fullscreen was left (Escape, the browser's own UI).
 */
export class StageFullscreen {
  active = $state(false)
  /** the browser offers fullscreen to this page */
  available = $state(false)
  #stage: HTMLElement | undefined

  /** Watches `stage`; returns the teardown. */
  attach(stage: HTMLElement): () => void {
    this.#stage = stage
    this.available = document.fullscreenEnabled
    const onChange = () => (this.active = document.fullscreenElement === stage)
    document.addEventListener('fullscreenchange', onChange)
    onChange()
    return () => {
      document.removeEventListener('fullscreenchange', onChange)
      if (document.fullscreenElement === stage) void document.exitFullscreen().catch(() => {})
      this.#stage = undefined
    }
  }

  /** Must run in a user gesture (a click, a key press): the browser refuses fullscreen otherwise. */
  async toggle(): Promise<void> {
    const stage = this.#stage
    if (!stage) return
    try {
      if (document.fullscreenElement === stage) await document.exitFullscreen()
      else await stage.requestFullscreen({ navigationUI: 'hide' })
    } catch {
      // refused (no gesture, or not allowed in this frame): the page stays as it is
    }
  }
}
