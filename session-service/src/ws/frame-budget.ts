import { SESSION_SOCKET_CLOSE, type ProtocolErrorCode } from '@tandem/contracts'
import type { ConnectionLimits } from './connection-limits.ts'
import { StrikeCounter, TokenBucket } from './flow-control.ts'
import type { SocketOutput } from './socket-output.ts'

/**
 * What one socket may send: budgets for commands, other messages and history pages, and strikes
 * for frames over budget or malformed. Each offence is answered; too many within the window
 * close the socket (after the commands it already sent are answered).
 */
export class FrameBudget {
  readonly #commands: TokenBucket
  readonly #messages: TokenBucket
  readonly #historyPages: TokenBucket
  readonly #rateStrikes: StrikeCounter
  readonly #badFrames: StrikeCounter

  constructor(
    limits: ConnectionLimits,
    now: () => number,
    private readonly out: SocketOutput,
    private readonly closeAfterInFlight: (code: number, reason: string) => void,
  ) {
    this.#commands = new TokenBucket(limits.commandBurst, limits.commandsPerSecond, now)
    this.#messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond, now)
    this.#historyPages = new TokenBucket(limits.historyBurst, limits.historyPerSecond, now)
    this.#rateStrikes = new StrikeCounter(limits.rateStrikes, limits.strikeWindowMs, now)
    this.#badFrames = new StrikeCounter(limits.badFrameStrikes, limits.strikeWindowMs, now)
  }

  takeCommand(): boolean {
    return this.#commands.take()
  }

  takeMessage(): boolean {
    return this.#messages.take()
  }

  takeHistoryPage(): boolean {
    return this.#historyPages.take()
  }

  /** Answers a frame over budget: a command is rejected by its id, anything else gets an error. */
  rateLimited(commandId: string | null): void {
    if (commandId !== null) {
      this.out.send({ type: 'reject', id: commandId, code: 'rate_limited', message: 'too many commands; slow down' })
    } else {
      this.out.error('rate_limited', 'too many messages; slow down')
    }
    if (this.#rateStrikes.record()) this.closeAfterInFlight(SESSION_SOCKET_CLOSE.rateLimited, 'rate limit exceeded')
  }

  badFrame(code: ProtocolErrorCode, message: string): void {
    this.out.error(code, message)
    this.strikeBadFrame()
  }

  /** Counts a bad frame that was answered some other way (a command rejected by its id). */
  strikeBadFrame(): void {
    if (this.#badFrames.record()) this.closeAfterInFlight(SESSION_SOCKET_CLOSE.abuse, 'too many bad frames')
  }
}
