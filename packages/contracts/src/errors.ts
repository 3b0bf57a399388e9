import { Type, type Static } from '@sinclair/typebox'

/** Every HTTP error body in Tandem has this shape; `code` is stable, `message` is for people. */
export const ErrorBodySchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
})
export type ErrorBody = Static<typeof ErrorBodySchema>

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } }
}
