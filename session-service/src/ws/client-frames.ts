import { Type, type Static, type TObject } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import {
  ClientCommandSchemas,
  ClientMessageSchemas,
  CommandMessageSchema,
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

/** Each message type checked against its schema; of a command, the envelope (its `id`). */
const commandEnvelope = TypeCompiler.Compile(Type.Omit(CommandMessageSchema, ['command']))
const checks = {
  hello: TypeCompiler.Compile(ClientMessageSchemas.hello),
  scrub: TypeCompiler.Compile(ClientMessageSchemas.scrub),
  ping: TypeCompiler.Compile(ClientMessageSchemas.ping),
  history: TypeCompiler.Compile(ClientMessageSchemas.history),
  report: TypeCompiler.Compile(ClientMessageSchemas.report),
}

/** What to tell the client when a message fails its schema: by the field at fault, else `''`. */
const problems: Record<ClientMessageType, { '': string } & Partial<Record<string, string>>> = {
  hello: { '': 'hello needs a "token" string', since: '"since" must be an integer revision ≥ -1' },
  command: { '': 'command needs an "id" string of 1–64 characters, without NUL or unpaired surrogates' },
  scrub: { '': `scrub needs a "position" in [0, ${SESSION_LIMITS.maxPosition}]` },
  ping: { '': 'ping needs a numeric "t0"' },
  history: { '': `history needs an integer "limit" in [1, ${SESSION_LIMITS.historyMaxLimit}]`, before: '"before" must be a revision ≥ 0' },
  report: { '': 'report needs a "position" and a boolean "buffering"' },
}

const invalid = (message: string): ParsedFrame => ({ ok: false, reply: 'error', code: 'invalid_message', message })

/**
 * Turns a text frame into a typed message, or says precisely what is wrong with it. Messages
 * are checked against their schemas in @tandem/contracts; of a command only the `type` is
 * checked here, its values (positions, rates, text) are the decider's.
 */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reply: 'error', code: 'malformed_json', message: 'frame is not valid JSON' }
  }
  if (!isObject(value) || typeof value.type !== 'string') return invalid('frame must be a JSON object with a string "type"')
  if (value.type === 'command') return parseCommandFrame(value)
  if (!Object.hasOwn(checks, value.type)) {
    return { ok: false, reply: 'error', code: 'unknown_type', message: `unknown message type "${value.type.slice(0, 40)}"` }
  }
  const type = value.type as keyof typeof checks
  const check = checks[type]
  if (!check.Check(value)) {
    const field = check.Errors(value).First()?.path.split('/')[1] ?? ''
    return invalid(problems[type][field] ?? problems[type][''])
  }
  // each schema's static type is one of the ClientMessage types, which TypeScript cannot follow through `type`
  return { ok: true, message: ownFields(ClientMessageSchemas[type], value) as ClientMessage }
}

function parseCommandFrame(value: Record<string, unknown>): ParsedFrame {
  const body = value.command
  if (!commandEnvelope.Check(value) || !isStorableText(value.id)) return invalid(problems.command[''])
  const command = parseCommand(body)
  if (!command) return { ok: false, reply: 'reject', id: value.id, code: 'invalid_command', message: 'unknown or malformed command' }
  return { ok: true, message: { type: 'command', id: value.id, command } }
}

/**
 * Keeps only the fields the command's schema names, so nothing unexpected reaches the decider.
 * Their values are not checked here: the decider refuses a bad one with the code naming it
 * (`invalid_position`, `invalid_rate`, …), after checking who may send the command at all.
 */
function parseCommand(value: unknown): ClientCommand | null {
  if (!isObject(value) || typeof value.type !== 'string' || !Object.hasOwn(ClientCommandSchemas, value.type)) return null
  // the values are unchecked (see above): the decider takes them as a ClientCommand and checks each
  return ownFields(ClientCommandSchemas[value.type as ClientCommand['type']], value) as ClientCommand
}

/** The fields of `value` that `schema` names, without any others. */
function ownFields<T extends TObject>(schema: T, value: Record<string, unknown>): Static<T> {
  return Object.fromEntries(Object.keys(schema.properties).filter((key) => key in value).map((key) => [key, value[key]])) as Static<T>
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
