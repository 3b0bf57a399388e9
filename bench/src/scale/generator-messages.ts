/** What the scale benchmark and its load generator processes say to each other over IPC. */

/** One socket to open: a viewer of session `session` (an index into `sessionIds`). */
export interface ViewerJob {
  session: number
  token: string
  /** This viewer sends the session's commands (it is the session's host). */
  sender: boolean
}

export type GeneratorRequest =
  | { type: 'open'; wsBase: string; sessionIds: string[]; jobs: ViewerJob[]; perSecond: number; maxPending: number }
  | { type: 'commands'; intervalMs: number }
  | { type: 'stop-commands' }
  | { type: 'report' }
  | { type: 'close' }

/** `[session index, HAProxy server name, sockets]`. */
export type Placement = [number, string, number]
/** `[command key, ms]`: when it was sent (shared clock). */
export type SentCommand = [string, number]
/** `[command key, ms, viewers]`: when the last of this process's viewers received its event, and how many did. */
export type Receipt = [string, number, number]

export type GeneratorReply =
  | { type: 'progress'; connected: number; failed: number }
  | { type: 'opened'; connected: number; failed: number; retried: number; firstError: string | null; placements: Placement[] }
  | { type: 'report'; sent: SentCommand[]; receipts: Receipt[]; acks: number; rejects: Record<string, number>; closes: Record<string, number> }

/** A command is named by its session and its sequence number, which is also the position it seeks to. */
export const commandKey = (session: number, seq: number): string => `${session}:${seq}`

/** One clock for every process on the machine. */
export const sharedNow = (): number => performance.timeOrigin + performance.now()
