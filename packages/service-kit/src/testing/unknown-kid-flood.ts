import { unknownKidToken } from './abuse/tokens.ts'

export interface UnknownKidFlood {
  /** tokens sent so far (each answered, whatever the answer) */
  readonly sent: number
  /** Stops sending and waits for the tokens under way. */
  stop(): Promise<void>
}

/**
 * `workers` loops, each sending `unknownKidToken`s through `send` one after another until
 * stopped: a flood of tokens with distinct unknown key ids. `send` should not throw on refusal.
 */
export function startUnknownKidFlood(issuer: string, send: (token: string) => Promise<unknown>, workers = 8): UnknownKidFlood {
  let sent = 0
  let stopped = false
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) {
      await send(unknownKidToken(issuer)).catch(() => undefined)
      sent++
    }
  })
  return {
    get sent() {
      return sent
    },
    async stop() {
      stopped = true
      await Promise.all(loops)
    },
  }
}
