import { mayControl, mayShareInvite, type ClientCommand, type ControlMode, type Reaction } from '@tandem/contracts'
import { ARROW_STEP_SECONDS, type CommandOutcome, type Person, type PlayerShortcut } from '$lib/live/index.ts'
import type { LiveRoom } from './live-room.svelte.ts'
import { REJECTIONS, rejection, type Notices } from './notices.svelte.ts'
import type { SyncedPlayer } from './player.svelte.ts'

/** What this viewer can do in the room: playback, control mode, roles, chat, reactions; refusals become notices. */
export class RoomControls {
  readonly canControl: boolean
  readonly isHost: boolean
  /** whether the Invite button shows: host, co-hosts, and members when the host lets them */
  readonly mayInvite: boolean
  readonly #room: LiveRoom
  readonly #player: SyncedPlayer
  readonly #notices: Notices

  constructor(room: LiveRoom, player: SyncedPlayer, notices: Notices, me: Person) {
    this.#room = room
    this.#player = player
    this.#notices = notices
    this.canControl = $derived(mayControl(room.view, me.userId))
    this.isHost = $derived(room.view.hostId === me.userId)
    this.mayInvite = $derived(mayShareInvite(room.view, me.userId))
  }

  togglePlay(): void {
    if (this.#room.view.playback.status === 'playing') void this.pause()
    else void this.play()
  }

  play(): Promise<boolean> {
    this.#player.playOnGesture()
    return this.#control({ type: 'play', position: this.#player.sharedPosition() })
  }

  pause(): Promise<boolean> {
    return this.#control({ type: 'pause', position: this.#player.sharedPosition() })
  }

  seekTo(position: number): Promise<boolean> {
    return this.#control({ type: 'seek', position: this.#player.clamp(position) })
  }

  seekBy(seconds: number): Promise<boolean> {
    return this.seekTo(this.#player.sharedPosition() + seconds)
  }

  setRate(rate: number): Promise<boolean> {
    return this.#control({ type: 'rate', rate, position: this.#player.sharedPosition() })
  }

  setControlMode(mode: ControlMode): Promise<boolean> {
    return this.#send({ type: 'controlMode', mode })
  }

  /** Host only: names a member co-host (`true`) or takes it back. */
  setCoHost(userId: string, coHost: boolean): Promise<boolean> {
    return this.#send({ type: 'coHost', userId, coHost })
  }

  /** Host only: hands the session to another member. */
  handOver(userId: string): Promise<boolean> {
    return this.#send({ type: 'handOver', userId })
  }

  /** Posts a chat message at the current video moment; resolves with an error to show, if any. */
  async sendChat(text: string): Promise<string | undefined> {
    const videoPosition = this.#player.video?.currentTime ?? this.#player.sharedPosition()
    const outcome = await this.#room.connection.command({ type: 'chat', text, videoPosition })
    return outcome.ok ? undefined : rejection(outcome)
  }

  /** Sends a reaction at the current video moment; a refusal (say, too many at once) becomes a notice. */
  react(emoji: Reaction): Promise<boolean> {
    const videoPosition = this.#player.video?.currentTime ?? this.#player.sharedPosition()
    return this.#send({ type: 'react', emoji, videoPosition })
  }

  shortcut(action: Extract<PlayerShortcut, 'toggle-play' | 'back' | 'forward'>): void {
    if (action === 'toggle-play') this.togglePlay()
    else void this.seekBy(action === 'back' ? -ARROW_STEP_SECONDS : ARROW_STEP_SECONDS)
  }

  async #control(command: ClientCommand): Promise<boolean> {
    if (!this.canControl) {
      this.#notices.say(this.#room.view.status === 'ended' ? REJECTIONS.session_ended! : REJECTIONS.not_host!)
      return false
    }
    return this.#send(command)
  }

  async #send(command: ClientCommand): Promise<boolean> {
    const outcome: CommandOutcome = await this.#room.connection.command(command)
    if (!outcome.ok && outcome.code !== 'stale') this.#notices.say(rejection(outcome))
    return outcome.ok
  }
}
