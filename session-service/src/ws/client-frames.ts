import {
  SESSION_LIMITS,
  type ClientCommand,
  type ClientMessage,
  type ClientMessageType,
  type ProtocolErrorCode,
  type RejectCode,
} from '@tandem/contracts'
import { isStorableText } from '../domain/text.ts'

export type ParsedFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; reply: 'error'; code: ProtocolErrorCode; message: string }
  /** A command whose id is usable but whose body is not: rejected by id. */
  | { ok: false; reply: 'reject'; id: string; code: RejectCode; message: string }

const MESSAGE_TYPES = new Set<ClientMessageType>(['hello', 'command', 'scrub', 'ping', 'history', 'report'])

const invalid = (message: string): ParsedFrame => ({ ok: false, reply: 'error', code: 'invalid_message', message })

/**
 * Turns a text frame into a typed message, or says precisely what is wrong with it. Only the
 * shape is checked here; the values of a command (positions, rates, text) are the decider's.
 */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reply: 'error', code: 'malformed_json', message: 'frame is not valid JSON' }
  }
  if (!isObject(value) || typeof value.type !== 'string') return invalid('frame must be a JSON object with a string "type"')
  const type = value.type as ClientMessageType
  if (!MESSAGE_TYPES.has(type)) {
    return { ok: false, reply: 'error', code: 'unknown_type', message: `unknown message type "${value.type.slice(0, 40)}"` }
  }
  switch (type) {
    case 'hello': {
      if (typeof value.token !== 'string' || value.token.length === 0) return invalid('hello needs a "token" string')
      if (value.since !== undefined && !isRevision(value.since)) return invalid('"since" must be an integer revision ≥ -1')
      return { ok: true, message: { type, token: value.token, ...(value.since !== undefined ? { since: value.since as number } : {}) } }
    }
    case 'command': {
      const id = value.id
      if (typeof id !== 'string' || id.length === 0 || id.length > 64 || !isStorableText(id)) {
        return invalid('command needs an "id" string of 1–64 characters, without NUL or unpaired surrogates')
      }
      const command = parseCommand(value.command)
      if (!command) return { ok: false, reply: 'reject', id, code: 'invalid_command', message: 'unknown or malformed command' }
      return { ok: true, message: { type, id, command } }
    }
    case 'scrub':
      if (!isPosition(value.position)) return invalid(`scrub needs a "position" in [0, ${SESSION_LIMITS.maxPosition}]`)
      return { ok: true, message: { type, position: value.position } }
    case 'ping':
      if (typeof value.t0 !== 'number' || !Number.isFinite(value.t0)) return invalid('ping needs a numeric "t0"')
      return { ok: true, message: { type, t0: value.t0 } }
    case 'history': {
      const { before, limit } = value
      if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > SESSION_LIMITS.historyMaxLimit) {
        return invalid(`history needs an integer "limit" in [1, ${SESSION_LIMITS.historyMaxLimit}]`)
      }
      if (before !== undefined && (!Number.isSafeInteger(before) || (before as number) < 0)) return invalid('"before" must be a revision ≥ 0')
      return { ok: true, message: { type, limit: limit as number, ...(before !== undefined ? { before: before as number } : {}) } }
    }
    case 'report':
      if (!isPosition(value.position) || typeof value.buffering !== 'boolean') {
        return invalid('report needs a "position" and a boolean "buffering"')
      }
      return { ok: true, message: { type, position: value.position, buffering: value.buffering } }
  }
}

/**
 * Keeps only the fields each command has, so nothing unexpected reaches the decider; their
 * values (numbers in range, text length) are checked there.
 */
function parseCommand(value: unknown): ClientCommand | null {
  if (!isObject(value) || typeof value.type !== 'string') return null
  // Values are unchecked on purpose (see above), hence the cast.
  const v = (name: string) => value[name] as never
  switch (value.type) {
    case 'play':
    case 'pause':
    case 'seek':
      return { type: value.type, position: v('position') }
    case 'rate':
      return { type: 'rate', rate: v('rate'), position: v('position') }
    case 'chat':
      return { type: 'chat', text: v('text'), videoPosition: v('videoPosition') }
    case 'video':
      return { type: 'video', videoUrl: v('videoUrl') }
    case 'controlMode':
      return { type: 'controlMode', mode: v('mode') }
    case 'join':
    case 'leave':
    case 'end':
      return { type: value.type }
    default:
      return null
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRevision(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= -1
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= SESSION_LIMITS.maxPosition
}
