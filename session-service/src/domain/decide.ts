import {
  CONTROL_MODES,
  MEDIA_LIMITS,
  SESSION_LIMITS,
  SYSTEM_ACTOR,
  REACTIONS,
  VISIBILITIES,
  assertNever,
  charCount,
  controlRefusal,
  maySee,
  positionAt,
  urlItem,
  type ControlRefusal,
  type MediaItem,
  type RejectCode,
} from '@tandem/contracts'
import type { CommandEnvelope, SessionCommand } from './commands.ts'
import { sessionEvent, type SessionEvent } from './events.ts'
import type { CurrentInvite, ExistingSessionState, SessionState } from './state.ts'
import { isStorableText } from './text.ts'
import { QUEUE_FULL_MESSAGE, isHttpUrl, isReaction, mediaItemOf } from './media.ts'

export type Decision =
  /** Append these events (possibly none: the command changes nothing, e.g. joining twice). */
  | { kind: 'accepted'; events: SessionEvent[] }
  | { kind: 'rejected'; code: RejectCode; message: string }

const reject = (code: RejectCode, message: string): Decision => ({ kind: 'rejected', code, message })
const accept = (...events: SessionEvent[]): Decision => ({ kind: 'accepted', events })

/** How a refused playback control is worded, for commands and scrub previews alike. */
export const CONTROL_REFUSAL_MESSAGES: Record<ControlRefusal, string> = {
  not_member: 'join the session first',
  not_host: 'only the host controls playback',
}

/**
 * Decides what a command means for the session in `state`. Pure: no I/O, no clock. A retried
 * command is recognised before it gets here (by `LiveSession`), so every call decides afresh.
 */
export function decide(envelope: CommandEnvelope, state: SessionState): Decision {
  const { command } = envelope
  if (command.type === 'create') return decideCreate(envelope as CommandEnvelope<typeof command>, state)
  const inviteGiven = command.type === 'join' && command.invite !== undefined
  if (state.status === 'none') return inviteGiven ? INVITE_INVALID : NOT_FOUND
  if (!maySee(state, envelope.userId) && envelope.userId !== SYSTEM_ACTOR) {
    // To a stranger a private session does not exist, unless they bring its current invite.
    if (!inviteGiven) return NOT_FOUND
    if (!inviteWorks(state.invite, command.type === 'join' ? command.invite : null, envelope.at)) return INVITE_INVALID
  }
  if (state.status === 'ended') return command.type === 'endIdle' ? accept() : reject('session_ended', 'the session has ended')
  return decideOnOpen(envelope, state)
}

const NOT_FOUND = reject('session_not_found', 'no such session')
const INVITE_INVALID = reject('invite_invalid', 'this invite link is no longer valid; ask the host for a new one')

function inviteWorks(invite: CurrentInvite | null, inviteId: string | null | undefined, at: number): boolean {
  return invite !== null && typeof inviteId === 'string' && invite.id === inviteId && (invite.expiresAt === null || at < invite.expiresAt)
}

function decideCreate(envelope: CommandEnvelope<Extract<SessionCommand, { type: 'create' }>>, state: SessionState): Decision {
  if (state.status !== 'none') return reject('session_exists', 'the session already exists')
  const { title, videoUrl, controlMode, visibility, inviteId } = envelope.command
  const trimmedTitle = typeof title === 'string' ? title.trim() : ''
  if (trimmedTitle.length === 0 || charCount(trimmedTitle) > SESSION_LIMITS.titleMaxChars) {
    return reject('invalid_title', `title must be 1–${SESSION_LIMITS.titleMaxChars} characters`)
  }
  if (!isStorableText(trimmedTitle)) return reject('invalid_title', notText('title'))
  if (!isHttpUrl(videoUrl)) return reject('invalid_video_url', 'videoUrl must be an http(s) URL')
  if (!CONTROL_MODES.includes(controlMode)) return reject('invalid_control_mode', 'controlMode must be host or everyone')
  if (!VISIBILITIES.includes(visibility)) return reject('invalid_visibility', 'visibility must be private or public')
  const { at, userId } = envelope
  return accept(
    sessionEvent('SessionCreated', { title: trimmedTitle, videoUrl, hostId: userId, controlMode, visibility, inviteId }, at, userId),
  )
}

function decideOnOpen(envelope: CommandEnvelope, state: ExistingSessionState): Decision {
  const { command, userId: by, at } = envelope
  const isMember = state.members.includes(by)
  const isHost = state.hostId === by
  const mayControl = (): Decision | null => {
    const refusal = controlRefusal(state, by)
    return refusal && reject(refusal, CONTROL_REFUSAL_MESSAGES[refusal])
  }
  const hostOnly = (what: string): Decision | null => {
    if (!isMember) return reject('not_member', 'join the session first')
    return isHost ? null : reject('not_host', `only the host ${what}`)
  }
  const checkTarget = (userId: unknown): Decision | null =>
    typeof userId === 'string' && userId !== state.hostId && state.members.includes(userId)
      ? null
      : reject('invalid_target', 'name a member other than the host')

  switch (command.type) {
    case 'create':
      return reject('session_exists', 'the session already exists')
    case 'join':
      return isMember ? accept() : accept(sessionEvent('ViewerJoined', { userId: by }, at, by))
    case 'leave': {
      if (!isMember) return reject('not_member', 'not a member')
      const left = sessionEvent('ViewerLeft', { userId: by }, at, by)
      const successor = isHost ? successorAmong(state, state.members) : null
      return successor ? accept(sessionEvent('HostChanged', { hostId: successor, reason: 'host_left' }, at, by), left) : accept(left)
    }
    case 'end':
      return isHost ? accept(sessionEvent('SessionEnded', { reason: 'host' }, at, by)) : reject('not_host', 'only the host ends the session')
    case 'endIdle':
      return accept(sessionEvent('SessionEnded', { reason: 'idle' }, at, SYSTEM_ACTOR))
    case 'hostGone': {
      // Another replica may have handed control over already; then there is nothing left to do.
      if (command.hostId !== state.hostId) return accept()
      const successor = successorAmong(state, command.present)
      return successor ? accept(sessionEvent('HostChanged', { hostId: successor, reason: 'host_gone' }, at, SYSTEM_ACTOR)) : accept()
    }
    case 'handOver': {
      const refused = hostOnly('hands over control') ?? checkTarget(command.userId)
      if (refused) return refused
      return accept(sessionEvent('HostChanged', { hostId: command.userId, reason: 'handed_over' }, at, by))
    }
    case 'coHost': {
      const refused = hostOnly('names co-hosts') ?? checkTarget(command.userId)
      if (refused) return refused
      if (command.coHost === state.coHostIds.includes(command.userId)) return accept()
      return accept(sessionEvent(command.coHost ? 'CoHostAdded' : 'CoHostRemoved', { userId: command.userId }, at, by))
    }
    case 'configure': {
      const refused = hostOnly('changes the settings') ?? checkVisibility(command.visibility)
      if (refused) return refused
      const events: SessionEvent[] = []
      if (command.visibility !== undefined && command.visibility !== state.visibility) {
        events.push(sessionEvent('VisibilityChanged', { visibility: command.visibility }, at, by))
      }
      if (typeof command.membersMayInvite === 'boolean' && command.membersMayInvite !== state.membersMayInvite) {
        events.push(sessionEvent('InvitePolicyChanged', { membersMayInvite: command.membersMayInvite }, at, by))
      }
      return accept(...events)
    }
    case 'resetInvite': {
      const refused = hostOnly('resets the invite link')
      if (refused) return refused
      return accept(sessionEvent('InviteIssued', { inviteId: command.inviteId, expiresAt: command.expiresAt }, at, by))
    }
    case 'play':
    case 'pause':
    case 'seek': {
      const refused = mayControl() ?? checkPosition(command.position)
      if (refused) return refused
      if (command.type === 'play') return accept(sessionEvent('PlaybackStarted', { position: command.position }, at, by))
      if (command.type === 'pause') return accept(sessionEvent('PlaybackPaused', { position: command.position }, at, by))
      const from = positionAt(state.playback, at)
      return accept(sessionEvent('PlaybackSeeked', { from, position: command.position }, at, by))
    }
    case 'rate': {
      const refused = mayControl() ?? checkRate(command.rate) ?? checkPosition(command.position)
      if (refused) return refused
      return accept(sessionEvent('PlaybackRateChanged', { rate: command.rate, position: command.position }, at, by))
    }
    case 'video': {
      const refused = mayControl()
      if (refused) return refused
      if (!isHttpUrl(command.videoUrl)) return reject('invalid_video_url', 'videoUrl must be an http(s) URL')
      return accept(videoChanged(state, urlItem(nextItemId(state), command.videoUrl, by), 'chosen', at, by))
    }
    case 'queueAdd': {
      const refused = mayControl()
      if (refused) return refused
      if (!Array.isArray(command.items) || command.items.length === 0 || command.items.length > MEDIA_LIMITS.addMaxItems) {
        return reject('invalid_item', `add 1–${MEDIA_LIMITS.addMaxItems} items at a time`)
      }
      if (state.queue.length + command.items.length > MEDIA_LIMITS.queueMaxItems) return reject('queue_full', QUEUE_FULL_MESSAGE)
      const events: SessionEvent[] = []
      for (const [i, input] of command.items.entries()) {
        const item = mediaItemOf(input, nextItemId(state, i), by)
        if ('code' in item) return reject(item.code, command.items.length > 1 ? `item ${i + 1}: ${item.message}` : item.message)
        const index = command.next === true ? i : state.queue.length + i
        events.push(sessionEvent('QueueItemAdded', { item, index }, at, by))
      }
      return accept(...events)
    }
    case 'queueRemove': {
      const refused = mayControl() ?? checkQueued(state, command.itemId)
      if (refused) return refused
      return accept(sessionEvent('QueueItemRemoved', { itemId: command.itemId }, at, by))
    }
    case 'queueMove': {
      const refused = mayControl() ?? checkQueued(state, command.itemId)
      if (refused) return refused
      if (!Number.isSafeInteger(command.index) || command.index < 0 || command.index >= state.queue.length) {
        return reject('invalid_index', `index must be a place in the queue, 0–${state.queue.length - 1}`)
      }
      if (state.queue[command.index]?.itemId === command.itemId) return accept()
      return accept(sessionEvent('QueueReordered', { itemId: command.itemId, index: command.index }, at, by))
    }
    case 'playItem': {
      const refused = mayControl() ?? checkQueued(state, command.itemId)
      if (refused) return refused
      const item = state.queue.find((queued) => queued.itemId === command.itemId) as MediaItem
      return accept(videoChanged(state, item, 'chosen', at, by))
    }
    case 'advance':
      return decideAdvance(envelope as CommandEnvelope<typeof command>, state)
    case 'react': {
      if (!isMember) return reject('not_member', 'join the session first')
      if (!isReaction(command.emoji)) return reject('invalid_reaction', `emoji must be one of ${REACTIONS.join(' ')}`)
      const refused = checkPosition(command.videoPosition)
      if (refused) return refused
      return accept(sessionEvent('ReactionSent', { emoji: command.emoji, videoPosition: command.videoPosition }, at, by))
    }
    case 'controlMode': {
      if (!isMember) return reject('not_member', 'join the session first')
      if (!isHost) return reject('not_host', 'only the host changes the control mode')
      if (!CONTROL_MODES.includes(command.mode)) return reject('invalid_control_mode', 'mode must be host or everyone')
      return command.mode === state.controlMode ? accept() : accept(sessionEvent('ControlModeChanged', { mode: command.mode }, at, by))
    }
    case 'chat': {
      if (!isMember) return reject('not_member', 'join the session first')
      const text = typeof command.text === 'string' ? command.text.trim() : ''
      const length = charCount(text)
      if (length < SESSION_LIMITS.chatMinChars || length > SESSION_LIMITS.chatMaxChars) {
        return reject('invalid_chat', `chat text must be ${SESSION_LIMITS.chatMinChars}–${SESSION_LIMITS.chatMaxChars} characters`)
      }
      if (!isStorableText(text)) return reject('invalid_chat', notText('chat text'))
      const refused = checkPosition(command.videoPosition)
      if (refused) return refused
      // The command id is unique per command, so it doubles as the message id.
      return accept(sessionEvent('ChatMessagePosted', { messageId: envelope.id, text, videoPosition: command.videoPosition }, at, by))
    }
    default:
      return assertNever(command)
  }
}

/**
 * Moving on from the item playing now. `from` names it, so of several reports of one end (every
 * viewer's player ends, on any replica) only the first advances: once the item has changed, the
 * rest append nothing. Any member may report an end, but only when the shared clock agrees that
 * the item is (nearly) over; skipping needs control.
 */
function decideAdvance(envelope: CommandEnvelope<Extract<SessionCommand, { type: 'advance' }>>, state: ExistingSessionState): Decision {
  const { command, userId: by, at } = envelope
  if (!state.members.includes(by)) return reject('not_member', 'join the session first')
  if (command.reason !== 'ended' && command.reason !== 'skip') return reject('invalid_command', 'reason must be ended or skip')
  if (command.from !== state.nowPlaying.itemId) return accept()
  const next = state.queue[0]
  if (command.reason === 'skip') {
    const refusal = controlRefusal(state, by)
    if (refusal) return reject(refusal, CONTROL_REFUSAL_MESSAGES[refusal])
    return next ? accept(videoChanged(state, next, 'chosen', at, by)) : reject('item_not_found', 'the queue is empty')
  }
  const { duration } = command
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0 || duration > SESSION_LIMITS.maxPosition) {
    return reject('invalid_position', 'duration must be the length of the video in seconds')
  }
  if (state.playback.status !== 'playing') return accept()
  const position = positionAt(state.playback, at)
  if (position < duration - MEDIA_LIMITS.endToleranceSeconds) return accept()
  // The end of the last item: the evening pauses there, so a late joiner does not run past it.
  if (!next) return accept(sessionEvent('PlaybackPaused', { position: duration }, at, by))
  return accept(videoChanged(state, next, 'ended', at, by))
}

/** The id the `offset`-th event appended after `state` gives the item it adds: its revision, so it is unique in the stream. */
function nextItemId(state: ExistingSessionState, offset = 0): string {
  return `r${state.revision + 1 + offset}`
}

/** `item` plays now: from 0, playing if the session was (or an item ended into it), else paused. */
function videoChanged(state: ExistingSessionState, item: MediaItem, reason: 'chosen' | 'ended', at: number, by: string): SessionEvent {
  const playing = reason === 'ended' || state.playback.status === 'playing'
  return sessionEvent('VideoChanged', { videoUrl: item.url, item, reason, playing }, at, by)
}

function checkQueued(state: ExistingSessionState, itemId: unknown): Decision | null {
  return state.queue.some((item) => item.itemId === itemId) ? null : reject('item_not_found', 'no such item in the queue')
}

/**
 * Who takes control when the host goes: of `candidates` (in order of preference), the first
 * co-host, else the first member; never the host. Null when nobody is left.
 */
export function successorAmong(state: ExistingSessionState, candidates: readonly string[]): string | null {
  const eligible = candidates.filter((m) => m !== state.hostId && state.members.includes(m))
  return eligible.find((m) => state.coHostIds.includes(m)) ?? eligible[0] ?? null
}

function checkVisibility(visibility: unknown): Decision | null {
  if (visibility === undefined || VISIBILITIES.includes(visibility as never)) return null
  return reject('invalid_visibility', 'visibility must be private or public')
}

function checkPosition(position: unknown): Decision | null {
  if (typeof position !== 'number' || !Number.isFinite(position) || position < 0 || position > SESSION_LIMITS.maxPosition) {
    return reject('invalid_position', `position must be a number of seconds in [0, ${SESSION_LIMITS.maxPosition}]`)
  }
  return null
}

function checkRate(rate: unknown): Decision | null {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < SESSION_LIMITS.minRate || rate > SESSION_LIMITS.maxRate) {
    return reject('invalid_rate', `rate must be in [${SESSION_LIMITS.minRate}, ${SESSION_LIMITS.maxRate}]`)
  }
  return null
}

const notText = (field: string) => `${field} must not contain NUL or unpaired surrogate characters`
