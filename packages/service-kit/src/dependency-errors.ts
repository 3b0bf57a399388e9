/** Socket errors of a connection to a database or broker that is down or going away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
/**
 * PostgreSQL SQLSTATEs of a server shutting down, starting up or out of connections (class 08
 * is checked by prefix): the same request succeeds once it is back.
 */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300'])
/** Errors node-postgres raises itself when a connection dies or cannot be had in time. */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/
const MONGO_UNAVAILABLE = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError'])

/**
 * True when an error says a store the service depends on cannot be reached right now (it is
 * down, restarting, or refusing connections), as opposed to a fault in the request or the code:
 * the client should retry, and a 503 says so.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  if (typeof name === 'string' && MONGO_UNAVAILABLE.has(name)) return true
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message)
}
