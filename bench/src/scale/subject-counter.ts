import { connect, type NatsConnection } from 'nats'

export interface SubjectCounts {
  /** Per session id: messages on its `session.<id>.events` and `session.<id>.ephemeral` subjects. */
  perSession: Map<string, number>
  /** Messages on any other subject of the namespace (e.g. a digest every replica hears). */
  other: number
}

/**
 * Counts every message published in one NATS namespace, per session, over a window: what each
 * session's traffic amounts to, so that a replica's received messages can be held against the
 * traffic of the sessions it serves.
 */
export class SubjectCounter {
  #counting = false
  #counts: SubjectCounts = { perSession: new Map(), other: 0 }

  private constructor(private readonly nc: NatsConnection) {}

  static async start(natsUrl: string, namespace: string): Promise<SubjectCounter> {
    const nc = await connect({ servers: natsUrl, name: 'scale benchmark subject counter' })
    const counter = new SubjectCounter(nc)
    const prefix = namespace ? `${namespace}.` : ''
    const sessionSubject = new RegExp(`^${prefix.replaceAll('.', '\\.')}session\\.([^.]+)\\.(events|ephemeral)$`)
    nc.subscribe(`${prefix}>`, {
      callback: (err, msg) => {
        if (err || !counter.#counting) return
        const match = sessionSubject.exec(msg.subject)
        if (!match) counter.#counts.other++
        else counter.#counts.perSession.set(match[1]!, (counter.#counts.perSession.get(match[1]!) ?? 0) + 1)
      },
    })
    await nc.flush()
    return counter
  }

  begin(): void {
    this.#counts = { perSession: new Map(), other: 0 }
    this.#counting = true
  }

  end(): SubjectCounts {
    this.#counting = false
    return this.#counts
  }

  close(): Promise<void> {
    return this.nc.close()
  }
}
