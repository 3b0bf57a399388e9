import type { FastifyRequest } from 'fastify'

// Every body schema sets additionalProperties: false, so unknown fields are a 400.

export const emailSchema = { type: 'string', format: 'email', minLength: 3, maxLength: 254 } as const
export const passwordSchema = { type: 'string', minLength: 8, maxLength: 128 } as const
/**
 * Trimmed first (see `trimFields`); no control characters and no unpaired surrogates (which
 * would be stored as U+FFFD, not as sent); emoji and the like are fine.
 */
export const displayNameSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  pattern: '^[^\\p{Cc}\\p{Cs}\\u2028\\u2029]+$',
} as const
export const refreshTokenSchema = { type: 'string', minLength: 1, maxLength: 512 } as const

export const userSchema = {
  type: 'object',
  required: ['id', 'email', 'displayName'],
  properties: { id: { type: 'string' }, email: { type: 'string' }, displayName: { type: 'string' } },
} as const

export const tokensSchema = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'expiresIn'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    /** seconds until the access token expires */
    expiresIn: { type: 'integer' },
  },
} as const

export const signedInSchema = {
  type: 'object',
  required: ['user', ...tokensSchema.required],
  properties: { user: userSchema, ...tokensSchema.properties },
} as const

/** preValidation hook: trims surrounding whitespace from the named string fields of the body. */
export function trimFields(...fields: string[]) {
  return async function trim(request: FastifyRequest): Promise<void> {
    const body = request.body as Record<string, unknown> | null
    if (!body || typeof body !== 'object' || Array.isArray(body)) return
    for (const field of fields) {
      const value = body[field]
      if (typeof value === 'string') body[field] = value.trim()
    }
  }
}
