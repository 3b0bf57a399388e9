import type { FastifyServerOptions } from 'fastify'

/** Paths never written to logs: credentials and tokens, wherever they appear. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  'refreshToken',
  'accessToken',
  'token',
  'invite',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.invite',
]

/** Query parameters whose values are credentials (an invite link's token), hidden in logged URLs. */
const SECRET_QUERY_PARAMS = /([?&](?:invite|token)=)[^&#]*/gi

/** A request URL as it may be logged: secret query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[redacted]')
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

export function loggerOptions(level: string, service: string, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // Fastify's own request serializer, with the URL's secret query values hidden
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    ...(stream ? { stream } : {}),
  }
}
