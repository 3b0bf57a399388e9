import t from 'tap'
import { controlRefusal, mayControl, type SessionFields } from '../../src/index.ts'

const session: Pick<SessionFields, 'status' | 'members' | 'hostId' | 'coHostIds' | 'controlMode'> = {
  status: 'open',
  members: ['host', 'ada', 'bo'],
  hostId: 'host',
  coHostIds: ['bo'],
  controlMode: 'host',
}

t.test('in host mode only the host controls', async (t) => {
  t.equal(controlRefusal(session, 'host'), null)
  t.equal(controlRefusal(session, 'ada'), 'not_host')
  t.equal(mayControl(session, 'ada'), false)
})

t.test('in host mode a co-host controls too', async (t) => {
  t.equal(controlRefusal(session, 'bo'), null)
  t.equal(mayControl(session, 'bo'), true)
  t.equal(controlRefusal({ ...session, coHostIds: [] }, 'bo'), 'not_host')
})

t.test('in everyone mode every member controls, and non-members never', async (t) => {
  const everyone = { ...session, controlMode: 'everyone' as const }
  t.equal(controlRefusal(everyone, 'ada'), null)
  t.equal(mayControl(everyone, 'ada'), true)
  t.equal(controlRefusal(everyone, 'eve'), 'not_member')
})

t.test('nobody controls an ended session', async (t) => {
  t.equal(mayControl({ ...session, status: 'ended' }, 'host'), false)
})
