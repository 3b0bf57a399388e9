/**
 * Wire types of a watch session: its events, the state sent in `welcome`, the REST bodies, and
 * the WebSocket protocol of `GET /v1/sessions/:id/ws` (docs/protocol.md describes the exchange),
 * each a TypeBox schema with its static type.
 *
 * Times are milliseconds since the epoch on the server clock; positions are seconds of video.
 */
export * from './session-limits.ts'
export * from './session-codes.ts'
export * from './session-media.ts'
export * from './session-events.ts'
export * from './session-state.ts'
export * from './session-rest.ts'
export * from './client-messages.ts'
export * from './server-messages.ts'
