import type { FastifyRequest } from 'fastify'

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
