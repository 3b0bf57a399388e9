import type { FanoutRecorder } from './recorder.ts'

/**
 * A system under test for the fan-out figure: N clients in one room, one of which (the sender)
 * sends command number i. Every client reports each command it receives to the recorder, and
 * the sender reports its answer.
 */
export interface FanoutTarget {
  readonly name: string
  /** Opens the N clients and waits until every one of them is in the room. */
  connect(viewers: number, recorder: FanoutRecorder): Promise<void>
  send(command: number): void
  close(): Promise<void>
}

/** Positions used by the commands: unique per command, so every frame names its command. */
export const positionOf = (command: number): number => 1000 + command
export const commandOf = (position: number): number => position - 1000
