/**
 * The header that carries a request's id from web to every service it calls (and from the
 * balancer to session-service). Every hop keeps the id it receives, so one id names one user
 * action in the logs of every process it touched.
 */
export const REQUEST_ID_HEADER = 'x-request-id'

/** Letters, digits and `-_.:`, 1 to 128 of them: a uuid, a trace id, or an id of a proxy's own. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * The id a request brought, if it is one to keep. Anything else (missing, repeated, too long,
 * or holding characters that could forge a log line or a header) is left out, and the receiver
 * makes a fresh uuid instead.
 */
export function acceptedRequestId(header: string | string[] | null | undefined): string | undefined {
  return typeof header === 'string' && ACCEPTED_REQUEST_ID.test(header) ? header : undefined
}
