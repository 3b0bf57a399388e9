/** Answers of the health routes every service has. */
import { Type, type Static } from '@sinclair/typebox'
import { ErrorBodySchema } from './errors.ts'

/** `GET /healthz`: the process is alive. */
export const LivenessResponseSchema = Type.Object({ status: Type.Literal('ok') })
export type LivenessResponse = Static<typeof LivenessResponseSchema>

/** `GET /readyz`: 200 when every dependency answers, else 503; `checks` names each one's outcome. */
export const ReadinessResponseSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Type.String(), { description: '`ok`, or why the dependency failed' }),
})
export type ReadinessResponse = Static<typeof ReadinessResponseSchema>

/**
 * `GET /readyz` answering 503: a dependency failed (the checks named), or the process is
 * draining before it exits (`{error:{code:'draining'}}`).
 */
export const NotReadyResponseSchema = Type.Union([ReadinessResponseSchema, ErrorBodySchema])
export type NotReadyResponse = Static<typeof NotReadyResponseSchema>
