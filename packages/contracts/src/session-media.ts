/** What a session plays: the item playing now, the shared queue after it, and reactions. */
import { Type, type Static } from '@sinclair/typebox'
import { literalUnion } from './literal-union.ts'
import { SESSION_LIMITS } from './session-limits.ts'

/**
 * Where an item's video comes from: a URL every viewer loads (a file, or an HLS `.m3u8`
 * playlist), or a file each viewer opens from their own disk (never uploaded).
 */
export const MediaKindSchema = literalUnion(['url', 'local'], {
  description: 'url: every viewer loads `url`; local: each viewer opens their own copy of `file`',
})
export type MediaKind = Static<typeof MediaKindSchema>

/** The host's copy of a local file: what every viewer's copy is compared with. */
export const LocalFileSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: SESSION_LIMITS.fileNameMaxChars }),
  size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'bytes' }),
  duration: Type.Number({ minimum: 0, maximum: SESSION_LIMITS.maxPosition, description: 'seconds' }),
})
export type LocalFile = Static<typeof LocalFileSchema>

/** One video of the session: playing now, or waiting in the queue. */
export const MediaItemSchema = Type.Object({
  itemId: Type.String({ description: 'unique in the session: "r" and the revision of the event that added it' }),
  kind: MediaKindSchema,
  url: Type.String({ description: 'the video (kind url); empty for a local file' }),
  title: Type.String({ description: 'as given when added; empty when none was (clients label it from the URL or file name)' }),
  subtitlesUrl: Type.Union([Type.String(), Type.Null()], { description: 'a WebVTT file, or null' }),
  file: Type.Union([LocalFileSchema, Type.Null()], { description: "kind local: the host's copy; null for kind url" }),
  addedBy: Type.String({ description: 'user id' }),
})
export type MediaItem = Static<typeof MediaItemSchema>

/**
 * An item as a client proposes it (`queueAdd`). Only the shape is checked when the frame is read;
 * the decider checks the values (http(s) URLs, lengths, a file for kind local) and names the field.
 */
export const MediaItemInputSchema = Type.Object({
  kind: Type.Optional(MediaKindSchema),
  url: Type.Optional(Type.String({ description: 'kind url (the default): an http(s) URL of a video file or an HLS playlist' })),
  title: Type.Optional(Type.String()),
  subtitlesUrl: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'an http(s) URL of a WebVTT file' })),
  file: Type.Optional(LocalFileSchema),
})
export type MediaItemInput = Static<typeof MediaItemInputSchema>

/** Why the video changed: someone chose it (play now, skip, a new URL), or the one before ended. */
export const VideoChangeReasonSchema = literalUnion(['chosen', 'ended'])
export type VideoChangeReason = Static<typeof VideoChangeReasonSchema>

/** How a client asks to move on from the item playing now. */
export const AdvanceReasonSchema = literalUnion(['ended', 'skip'], {
  description: "ended: this viewer's player reached the end (any member may report it); skip: go to the next item now (needs control)",
})
export type AdvanceReason = Static<typeof AdvanceReasonSchema>

/** The reactions a viewer can send. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '👏', '🔥', '🎉'] as const
export type Reaction = (typeof REACTIONS)[number]

/** Limits of the queue and of reactions (docs/protocol.md). */
export const MEDIA_LIMITS = {
  /** Items waiting in the queue, not counting the one playing. */
  queueMaxItems: 100,
  /** Items one `queueAdd` may carry (a pasted playlist is sent in parts of at most this many). */
  addMaxItems: 50,
  /** A player that reports `ended` must be at least this close (seconds) to the end by the shared clock. */
  endToleranceSeconds: 2,
  /** Reactions per user per session within `reactionWindowMs`, on each replica. */
  reactionsPerWindow: 5,
  reactionWindowMs: 5_000,
} as const
