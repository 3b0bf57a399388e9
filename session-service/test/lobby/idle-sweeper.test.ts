import t from 'tap'
import type { FastifyBaseLogger } from 'fastify'
import { createdSession } from '@tandem/contracts'
import { IdleSweeper } from '../../src/lobby/idle-sweeper.ts'
import type { ListedSession } from '../../src/lobby/lobby-projection.ts'
import { WatchingNow } from '../../src/lobby/watching-now.ts'
import type { CommandOutcome } from '../../src/live/live-session.ts'

const silent = { warn: () => undefined, info: () => undefined } as unknown as FastifyBaseLogger
const IDLE = 1000

/** A sweeper over sessions kept in a map, ending them by deleting them. */
function sweeperAt(start: number, sessions: Record<string, number>, idleEndMs = IDLE, endIdle?: (id: string) => Promise<CommandOutcome>) {
  const clock = { now: start }
  const now = () => clock.now
  const open = new Map<string, ListedSession>()
  for (const [id, lastEventAt] of Object.entries(sessions)) {
    const fields = createdSession({ type: 'SessionCreated', data: { title: id, videoUrl: 'https://v.example/', hostId: 'h', controlMode: 'host' }, at: 0, by: 'h' })
    open.set(id, { id, fields, titleKey: id, lastEventAt })
  }
  const watching = new WatchingNow({ ttlMs: 30_000, now })
  const sweeper = new IdleSweeper({
    idleEndMs,
    sessions: { openSessions: () => open.values(), openSession: (id) => open.get(id) },
    watching,
    endIdle: endIdle ?? (async (id): Promise<CommandOutcome> => {
      open.delete(id)
      return { kind: 'ack', revision: 1, events: [{ revision: 1, event: { type: 'SessionEnded', data: { reason: 'idle' }, at: now(), by: 'system' }, commandId: 'x' }] }
    }),
    now,
    log: silent,
  })
  return { clock, sweeper, watching, open }
}

t.test('idle is measured from the latest of: last event, last viewer, replica start', async (t) => {
  const { clock, sweeper, watching } = sweeperAt(10_000, { old: 0, recent: 10_500, watched: 0, left: 0 })
  watching.announce('watched', 'other-replica', ['alice'])
  watching.announce('left', 'other-replica', ['bob'])
  clock.now = 10_800
  watching.announce('left', 'other-replica', [])

  clock.now = 10_999
  t.same(await sweeper.sweep(), { tried: [], ended: [] }, 'nothing ends before the replica has run for the idle time')
  clock.now = 11_000
  t.same(await sweeper.sweep(), { tried: ['old'], ended: ['old'] }, 'then the session idle since long before the start')
  clock.now = 11_499
  t.same((await sweeper.sweep()).ended, [], 'the recently active ones wait')
  clock.now = 11_500
  t.same((await sweeper.sweep()).ended, ['recent'], 'idle since its last event')
  clock.now = 11_799
  t.same((await sweeper.sweep()).ended, [])
  clock.now = 11_800
  t.same((await sweeper.sweep()).ended, ['left'], 'idle since its last viewer left')
  clock.now = 20_000
  t.same((await sweeper.sweep()).ended, [], 'a session someone has open never ends')
  t.equal(sweeper.idleSince('other', 9_500), 10_000, 'an event before the start counts from the start')
})

t.test('a refused or failed end is logged and the sweep goes on', async (t) => {
  const outcomes: Array<() => Promise<CommandOutcome>> = [
    async () => {
      throw new Error('store down')
    },
    async () => ({ kind: 'reject', code: 'conflict', message: 'the session kept changing; retry the command' }),
    async () => ({ kind: 'ack', revision: 3, events: [] }),
  ]
  const { clock, sweeper } = sweeperAt(0, { a: 0, b: 0, c: 0 }, IDLE, () => outcomes.shift()!())
  clock.now = IDLE
  t.same(await sweeper.sweep(), { tried: ['a', 'b', 'c'], ended: [] }, 'tried all three; ended none itself (c was ended elsewhere first)')
})

t.test('the timer sweeps every quarter of the idle time, at most every 30 s', async (t) => {
  t.equal(sweeperAt(0, {}).sweeper.intervalMs, 250)
  t.equal(sweeperAt(0, {}, 3_600_000).sweeper.intervalMs, 30_000)
})
