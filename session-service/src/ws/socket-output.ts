import type { WebSocket } from 'ws'
import type { ProtocolErrorCode, ServerMessage } from '@tandem/contracts'

/**
 * What leaves one socket: text frames in order, nothing once the connection is closed, and
 * nothing more for a client whose unsent bytes are over the limit (it is a slow consumer).
 */
export class SocketOutput {
  #closed = false

  constructor(
    private readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
    private readonly onSlowConsumer: () => void,
  ) {}

  /** Bytes sent but not yet written to the network. */
  get bufferedBytes(): number {
    return this.socket.bufferedAmount
  }

  /** Sends a text frame; a Buffer is UTF-8 already encoded (shared by every socket of a session). */
  frame(frame: string | Buffer): void {
    if (this.#closed || this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return this.onSlowConsumer()
    this.socket.send(frame, { binary: false })
  }

  send(message: ServerMessage): void {
    this.frame(JSON.stringify(message))
  }

  error(code: ProtocolErrorCode, message: string): void {
    this.send({ type: 'error', code, message })
  }

  /** Nothing is sent from now on. */
  close(): void {
    this.#closed = true
  }
}
