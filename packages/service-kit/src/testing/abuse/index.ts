// Hostile input shared by every service's abuse tests (fuzzed bodies, forged tokens, header checks).
export * from './inputs.ts'
export * from './tokens.ts'
export * from './headers.ts'
