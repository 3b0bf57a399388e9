/** Answers of the health routes every service has. */
import { Type, type Static } from '@sinclair/typebox'

/** `GET /healthz`: the process is alive. */
export const LivenessResponseSchema = Type.Object({ status: Type.Literal('ok') })
export type LivenessResponse = Static<typeof LivenessResponseSchema>

/** `GET /readyz`: 200 when every dependency answers, else 503; `checks` names each one's outcome. */
export const ReadinessResponseSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Type.String(), { description: '`ok`, or why the dependency failed' }),
})
export type ReadinessResponse = Static<typeof ReadinessResponseSchema>
