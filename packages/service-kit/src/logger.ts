import type { FastifyServerOptions } from 'fastify'

/** Paths never written to logs: credentials and tokens, wherever they appear. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  'refreshToken',
  'accessToken',
  'token',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
]

export function loggerOptions(level: string, service: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return { level, base: { service }, redact: { paths: redactedPaths, censor: '[redacted]' } }
}
