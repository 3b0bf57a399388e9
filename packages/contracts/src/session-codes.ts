import type { Static } from '@sinclair/typebox'
import { literalUnion } from './literal-union.ts'

/** Why a command was refused (`reject{id, code}`); also the `error.code` of REST commands. */
export const RejectCodeSchema = literalUnion(
  [
    'not_member',
    'not_host',
    'session_not_found',
    'session_exists',
    'session_ended',
    'invalid_position',
    'invalid_rate',
    'invalid_chat',
    'invalid_title',
    'invalid_video_url',
    'invalid_subtitles_url',
    'invalid_local_file',
    'invalid_item',
    'item_not_found',
    'invalid_index',
    'queue_full',
    'invalid_reaction',
    'invalid_control_mode',
    'invalid_visibility',
    'invalid_target',
    'invite_invalid',
    'invalid_command',
    'rate_limited',
    'conflict',
    'unavailable',
  ],
  { description: 'why a command was refused' },
)
export type RejectCode = Static<typeof RejectCodeSchema>

/** Problems with a frame that is not a well-formed command (`error{code}`). */
export const ProtocolErrorCodeSchema = literalUnion(
  [
    'malformed_json',
    'unknown_type',
    'invalid_message',
    'frame_too_large',
    'unsupported_frame',
    'hello_required',
    'hello_repeated',
    'hello_timeout',
    'invalid_token',
    'session_not_found',
    'not_member',
    'not_host',
    'rate_limited',
    'slow_consumer',
    'too_many_sockets',
    'internal',
  ],
  { description: 'what is wrong with a frame, or why the socket closes' },
)
export type ProtocolErrorCode = Static<typeof ProtocolErrorCodeSchema>
