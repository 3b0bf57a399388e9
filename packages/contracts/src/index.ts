export * from './errors.ts'
export * from './jwt.ts'
export * from './nats.ts'
export * from './session.ts'
