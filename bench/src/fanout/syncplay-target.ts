import { SyncplayClient } from '../baselines/syncplay-client.ts'
import { startSyncplayServer, type SyncplayServer } from '../baselines/syncplay-server.ts'
import { forEachLimited } from '../lib/concurrency.ts'
import type { FanoutRecorder } from './recorder.ts'
import { commandOf, positionOf, type FanoutTarget } from './target.ts'

const ROOM = 'bench'
const SENDER = 'host'

/**
 * Syncplay's server with N clients in one room; the sender seeks (a forced `State`), which the
 * server forwards to every client in the room, the sender included (its answer).
 */
export class SyncplayTarget implements FanoutTarget {
  readonly name = 'syncplay'
  #server: SyncplayServer | undefined
  #clients: SyncplayClient[] = []

  async connect(viewers: number, recorder: FanoutRecorder): Promise<void> {
    this.#server = await startSyncplayServer()
    const port = this.#server.port
    const names = Array.from({ length: viewers }, (_, i) => (i === 0 ? SENDER : `viewer${i}`))
    this.#clients = await forEachLimited(names, 16, `syncplay N=${viewers} clients`, (name) =>
      SyncplayClient.open(port, name, ROOM, (position, setBy) => {
        if (setBy !== SENDER) return
        const command = commandOf(position)
        recorder.received(command)
        if (name === SENDER) recorder.acked(command)
      }),
    )
  }

  send(command: number): void {
    this.#clients[0]!.seek(positionOf(command))
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((c) => c.close()))
    this.#clients = []
    await this.#server?.stop()
  }
}
