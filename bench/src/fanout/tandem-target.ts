import { randomUUID } from 'node:crypto'
import { closeAll, SessionSocket, type TestIssuer } from '@tandem/service-kit/testing'
import { forEachLimited } from '../lib/concurrency.ts'
import { status } from '../lib/output.ts'
import { createSession, joinSession } from '../lib/tandem-client.ts'
import type { Replica } from '../lib/session-replica.ts'
import type { FanoutRecorder } from './recorder.ts'
import { commandOf, positionOf, type FanoutTarget } from './target.ts'

/**
 * Tandem: one session, N members joined over REST, their sockets spread over the replicas
 * (viewer i on replica i mod R). The host, on the first replica, sends `seek` commands; every
 * socket receives the `PlaybackSeeked` event, the host also its `ack` (after the durable append).
 */
export class TandemTarget implements FanoutTarget {
  readonly name = 'tandem'
  #sockets: SessionSocket[] = []
  #sender: SessionSocket | undefined
  #rejects = 0

  constructor(
    private readonly replicas: Replica[],
    private readonly issuer: TestIssuer,
  ) {}

  async connect(viewers: number, recorder: FanoutRecorder): Promise<void> {
    const users = Array.from({ length: viewers }, () => randomUUID())
    const tokens = users.map((u) => this.issuer.sign(u))
    const replicaOf = (i: number) => this.replicas[i % this.replicas.length]!
    const session = await createSession(replicaOf(0).httpUrl, tokens[0]!)
    await forEachLimited(users.slice(1), 16, `tandem N=${viewers} joins`, (_, i) => joinSession(replicaOf(i + 1).httpUrl, tokens[i + 1]!, session.id))
    this.#sockets = await forEachLimited(users, 32, `tandem N=${viewers} sockets`, async (_, i) => {
      const joined = await SessionSocket.join(replicaOf(i).wsUrl(session.id), tokens[i]!, undefined, { record: false, timeoutMs: 30_000 })
      return joined.socket
    })
    this.#sockets.forEach((socket, i) => {
      const replica = i % this.replicas.length
      socket.onMessage((message) => {
        if (message.type === 'event' && message.event.type === 'PlaybackSeeked') recorder.received(commandOf(message.event.data.position), replica)
        else if (message.type === 'ack') recorder.acked(Number(message.id.slice(1)))
        else if (message.type === 'reject' && this.#rejects++ === 0) status(`  a command was rejected (${message.code}: ${message.message}); it stays incomplete`)
      })
    })
    this.#sender = this.#sockets[0]
  }

  send(command: number): void {
    this.#sender!.send({ type: 'command', id: `c${command}`, command: { type: 'seek', position: positionOf(command) } })
  }

  async close(): Promise<void> {
    await closeAll(this.#sockets)
    this.#sockets = []
  }
}
