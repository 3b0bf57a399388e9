import { Type } from '@sinclair/typebox'

/** The documented answer of a status without a body (101, 204, 304): nothing to serialise. */
export const noContent = (description: string) => Type.Unsafe<undefined>({ description })
