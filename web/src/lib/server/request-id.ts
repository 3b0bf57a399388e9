import { acceptedRequestId, REQUEST_ID_HEADER } from '@tandem/contracts'

/**
 * The id of a request to the web server: the one the browser or a proxy sent when it is a plain,
 * short id (`acceptedRequestId`), else a fresh uuid. Web sends it on every call it makes to a
 * service for that request, so one id names the request in every log.
 */
export function requestIdOf(request: Request): string {
  return acceptedRequestId(request.headers.get(REQUEST_ID_HEADER)) ?? crypto.randomUUID()
}

/** `x-request-id` for a call to a service, when the call is made for a request (else none). */
export function requestIdHeaders(requestId: string | undefined): Record<string, string> {
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {}
}

export interface RequestLogLine {
  requestId: string
  method: string
  /** the path only: a query may hold an invite token */
  path: string
  status: number
  ms: number
}

/** One JSON line per request, shaped like the services' pino lines (`reqId`, `res.statusCode`). */
export function requestLogLine({ requestId, method, path, status, ms }: RequestLogLine): string {
  return JSON.stringify({
    level: status >= 500 ? 50 : 30,
    time: Date.now(),
    service: 'web',
    reqId: requestId,
    req: { method, url: path },
    res: { statusCode: status },
    responseTime: Math.round(ms * 10) / 10,
    msg: 'request completed',
  })
}
