import { randomUUID } from 'node:crypto'
import type { EventMessage } from '@tandem/contracts'
import { closeAll, SessionSocket } from '@tandem/service-kit/testing'
import { forEachLimited } from '../lib/concurrency.ts'
import type { FanoutRecorder } from './recorder.ts'
import { commandOf, positionOf, type FanoutTarget } from './target.ts'

/**
 * The floor: a WebSocket server that broadcasts every frame it receives to every client
 * (baselines/bare-broadcast-server.ts, its own process). The sender sends the very frame Tandem
 * would deliver for the command (an `event` with `PlaybackSeeked`), so the same bytes travel to
 * the same N clients and are parsed by the same code (SessionSocket); its own copy stands for the
 * answer.
 */
export class BareTarget implements FanoutTarget {
  readonly name = 'bare'
  #sockets: SessionSocket[] = []
  readonly #by = randomUUID()

  constructor(private readonly url: string) {}

  async connect(viewers: number, recorder: FanoutRecorder): Promise<void> {
    this.#sockets = await forEachLimited(Array.from({ length: viewers }), 32, `bare N=${viewers} sockets`, () => SessionSocket.open(this.url, { record: false }))
    this.#sockets.forEach((socket, i) => {
      socket.onMessage((message) => {
        if (message.type !== 'event' || message.event.type !== 'PlaybackSeeked') return
        const command = commandOf(message.event.data.position)
        recorder.received(command)
        if (i === 0) recorder.acked(command)
      })
    })
  }

  send(command: number): void {
    const position = positionOf(command)
    const frame: EventMessage = { type: 'event', revision: command + 3, event: { type: 'PlaybackSeeked', data: { from: position - 1, position }, at: Date.now(), by: this.#by } }
    this.#sockets[0]!.send(frame)
  }

  async close(): Promise<void> {
    await closeAll(this.#sockets)
    this.#sockets = []
  }
}
