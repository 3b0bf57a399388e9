import { decide } from './decide.ts'
import { evolve, initialState } from './state.ts'

/**
 * A watch session's decider as one plain value: `decide(command, state)` says what a command
 * means, `evolve(state, event)` folds an event in, from `initialState`. All three are pure.
 */
export const sessionDecider = { decide, evolve, initialState } as const
