import t from 'tap'
import { SYSTEM_ACTOR, type SessionEvent } from '@tandem/contracts'
import { ALICE, BOB, HOST, T0, cmd, created, given, joined } from '../fixtures/decider-spec.ts'

/** Rules of private rooms, invites, co-hosts, host hand-over and the end of a session. */

const VIDEO = 'https://example.com/v.mp4'
const STRANGER = 'user-stranger'
const INVITE = 'invite-1'

const startedPrivate = (at = T0): SessionEvent => ({
  type: 'SessionCreated',
  data: { title: 'Movie night', videoUrl: VIDEO, hostId: HOST, controlMode: 'host', visibility: 'private', inviteId: INVITE },
  at,
  by: HOST,
})
/** The shared fixture's session is public, with the same first invite. */
const startedPublic = () => created()
const inviteIssued = (inviteId: string, expiresAt: number | null, at = T0 + 2): SessionEvent => ({
  type: 'InviteIssued',
  data: { inviteId, expiresAt },
  at,
  by: HOST,
})
const coHostAdded = (userId: string, at = T0 + 3): SessionEvent => ({ type: 'CoHostAdded', data: { userId }, at, by: HOST })
const ended: SessionEvent = { type: 'SessionEnded', data: { reason: 'host' }, at: T0 + 50, by: HOST }
const AT = T0 + 1000

t.test('create', async (t) => {
  t.test('records the visibility and the first invite', async (t) => {
    given(t, [])
      .when(cmd(HOST, { type: 'create', title: 'Movie night', videoUrl: VIDEO, controlMode: 'host', visibility: 'private', inviteId: INVITE }, T0))
      .thenEvents([startedPrivate()])
  })
  t.test('refuses a visibility that is neither private nor public', async (t) => {
    given(t, [])
      .when(cmd(HOST, { type: 'create', title: 't', videoUrl: VIDEO, controlMode: 'host', visibility: 'secret' as never, inviteId: INVITE }))
      .thenRejected('invalid_visibility')
  })
})

t.test('a private session does not exist for strangers', async (t) => {
  const g = given(t, [startedPrivate()])
  t.test('joining without an invite is told there is no such session', async (t) => {
    g.when(cmd(STRANGER, { type: 'join' })).thenRejected('session_not_found')
  })
  t.test('every other command too, never not_member', async (t) => {
    for (const command of [
      { type: 'leave' },
      { type: 'end' },
      { type: 'play', position: 1 },
      { type: 'chat', text: 'hi', videoPosition: 0 },
      { type: 'configure', visibility: 'public' },
      { type: 'resetInvite', inviteId: 'mine', expiresAt: null },
    ] as const) {
      g.when(cmd(STRANGER, command)).thenRejected('session_not_found')
    }
  })
  t.test('the current invite lets a stranger join', async (t) => {
    g.when(cmd(STRANGER, { type: 'join', invite: INVITE }, AT)).thenEvents([joined(STRANGER, AT)])
  })
  t.test('a forged or unknown invite is refused as invalid', async (t) => {
    g.when(cmd(STRANGER, { type: 'join', invite: null })).thenRejected('invite_invalid')
    g.when(cmd(STRANGER, { type: 'join', invite: 'invite-2' })).thenRejected('invite_invalid')
  })
  t.test('an invite to a session that does not exist says the same as a revoked one', async (t) => {
    given(t, []).when(cmd(STRANGER, { type: 'join', invite: INVITE })).thenRejected('invite_invalid')
    given(t, []).when(cmd(STRANGER, { type: 'join' })).thenRejected('session_not_found')
  })
  t.test('resetting the invite revokes the old link', async (t) => {
    const reset = given(t, [startedPrivate(), inviteIssued('invite-2', null)])
    reset.when(cmd(STRANGER, { type: 'join', invite: INVITE })).thenRejected('invite_invalid')
    reset.when(cmd(STRANGER, { type: 'join', invite: 'invite-2' }, AT)).thenEvents([joined(STRANGER, AT)])
  })
  t.test('an invite works until it expires', async (t) => {
    const expiring = given(t, [startedPrivate(), inviteIssued('invite-2', T0 + 5000)])
    expiring.when(cmd(STRANGER, { type: 'join', invite: 'invite-2' }, T0 + 4999)).thenEvents([joined(STRANGER, T0 + 4999)])
    expiring.when(cmd(STRANGER, { type: 'join', invite: 'invite-2' }, T0 + 5000)).thenRejected('invite_invalid')
  })
  t.test('members and the host need no invite', async (t) => {
    const withAlice = given(t, [startedPrivate(), joined(ALICE)])
    withAlice.when(cmd(ALICE, { type: 'join' })).thenNothing()
    withAlice.when(cmd(HOST, { type: 'join' })).thenNothing()
    withAlice.when(cmd(ALICE, { type: 'chat', text: 'hi', videoPosition: 0 }, AT, 'c1')).thenEvents([
      { type: 'ChatMessagePosted', data: { messageId: 'c1', text: 'hi', videoPosition: 0 }, at: AT, by: ALICE },
    ])
  })
  t.test('a member who left is a stranger again', async (t) => {
    const left: SessionEvent = { type: 'ViewerLeft', data: { userId: ALICE }, at: T0 + 5, by: ALICE }
    given(t, [startedPrivate(), joined(ALICE), left]).when(cmd(ALICE, { type: 'join' })).thenRejected('session_not_found')
  })
  t.test('an ended private session is still missing to strangers, and ended to members', async (t) => {
    const g = given(t, [startedPrivate(), joined(ALICE), ended])
    g.when(cmd(STRANGER, { type: 'join' })).thenRejected('session_not_found')
    g.when(cmd(STRANGER, { type: 'join', invite: 'nope' })).thenRejected('invite_invalid')
    g.when(cmd(STRANGER, { type: 'join', invite: INVITE })).thenRejected('session_ended')
    g.when(cmd(ALICE, { type: 'chat', text: 'hi', videoPosition: 0 })).thenRejected('session_ended')
  })
})

t.test('a public session is open to anyone signed in', async (t) => {
  given(t, [startedPublic()]).when(cmd(STRANGER, { type: 'join' }, AT)).thenEvents([joined(STRANGER, AT)])
  given(t, [startedPublic()]).when(cmd(STRANGER, { type: 'join', invite: 'stale' }, AT)).thenEvents([joined(STRANGER, AT)])
  given(t, [startedPublic()]).when(cmd(STRANGER, { type: 'leave' })).thenRejected('not_member')
})

t.test('settings belong to the host', async (t) => {
  const g = given(t, [startedPrivate(), joined(ALICE)])
  t.test('the host changes visibility and who may share the link, one event per change', async (t) => {
    g.when(cmd(HOST, { type: 'configure', visibility: 'public', membersMayInvite: true }, AT)).thenEvents([
      { type: 'VisibilityChanged', data: { visibility: 'public' }, at: AT, by: HOST },
      { type: 'InvitePolicyChanged', data: { membersMayInvite: true }, at: AT, by: HOST },
    ])
  })
  t.test('setting what is already set appends nothing', async (t) => {
    g.when(cmd(HOST, { type: 'configure', visibility: 'private', membersMayInvite: false })).thenNothing()
  })
  t.test('a member may not change them, nor reset the invite', async (t) => {
    g.when(cmd(ALICE, { type: 'configure', visibility: 'public' })).thenRejected('not_host')
    g.when(cmd(ALICE, { type: 'resetInvite', inviteId: 'x', expiresAt: null })).thenRejected('not_host')
  })
  t.test('an unknown visibility is refused', async (t) => {
    g.when(cmd(HOST, { type: 'configure', visibility: 'hidden' as never })).thenRejected('invalid_visibility')
  })
  t.test('the host resets the invite link', async (t) => {
    g.when(cmd(HOST, { type: 'resetInvite', inviteId: 'invite-2', expiresAt: T0 + 60_000 }, AT)).thenEvents([inviteIssued('invite-2', T0 + 60_000, AT)])
  })
  t.test('making a private session public lets strangers in without an invite', async (t) => {
    const opened: SessionEvent = { type: 'VisibilityChanged', data: { visibility: 'public' }, at: T0 + 9, by: HOST }
    given(t, [startedPrivate(), opened]).when(cmd(STRANGER, { type: 'join' }, AT)).thenEvents([joined(STRANGER, AT)])
  })
})

t.test('co-hosts', async (t) => {
  const g = given(t, [startedPrivate(), joined(ALICE), joined(BOB)])
  t.test('the host names and removes a co-host', async (t) => {
    g.when(cmd(HOST, { type: 'coHost', userId: ALICE, coHost: true }, AT)).thenEvents([{ type: 'CoHostAdded', data: { userId: ALICE }, at: AT, by: HOST }])
    given(t, [startedPrivate(), joined(ALICE), coHostAdded(ALICE)])
      .when(cmd(HOST, { type: 'coHost', userId: ALICE, coHost: false }, AT))
      .thenEvents([{ type: 'CoHostRemoved', data: { userId: ALICE }, at: AT, by: HOST }])
  })
  t.test('naming a co-host twice appends nothing', async (t) => {
    given(t, [startedPrivate(), joined(ALICE), coHostAdded(ALICE)]).when(cmd(HOST, { type: 'coHost', userId: ALICE, coHost: true })).thenNothing()
  })
  t.test('only members other than the host can be co-hosts, and only the host names them', async (t) => {
    g.when(cmd(HOST, { type: 'coHost', userId: STRANGER, coHost: true })).thenRejected('invalid_target')
    g.when(cmd(HOST, { type: 'coHost', userId: HOST, coHost: true })).thenRejected('invalid_target')
    g.when(cmd(ALICE, { type: 'coHost', userId: BOB, coHost: true })).thenRejected('not_host')
  })
  t.test('a co-host controls playback in host mode; other members still may not', async (t) => {
    const withCoHost = given(t, [startedPrivate(), joined(ALICE), joined(BOB), coHostAdded(ALICE)])
    withCoHost.when(cmd(ALICE, { type: 'play', position: 3 }, AT)).thenEvents([{ type: 'PlaybackStarted', data: { position: 3 }, at: AT, by: ALICE }])
    withCoHost.when(cmd(BOB, { type: 'play', position: 3 })).thenRejected('not_host')
  })
  t.test('a co-host may not end the session, change settings or hand over control', async (t) => {
    const withCoHost = given(t, [startedPrivate(), joined(ALICE), joined(BOB), coHostAdded(ALICE)])
    withCoHost.when(cmd(ALICE, { type: 'end' })).thenRejected('not_host')
    withCoHost.when(cmd(ALICE, { type: 'configure', visibility: 'public' })).thenRejected('not_host')
    withCoHost.when(cmd(ALICE, { type: 'handOver', userId: BOB })).thenRejected('not_host')
  })
})

t.test('handing over control', async (t) => {
  t.test('the host hands control to a member; the old host is then an ordinary member', async (t) => {
    const g = given(t, [startedPrivate(), joined(ALICE), coHostAdded(ALICE)])
    const handed = g.when(cmd(HOST, { type: 'handOver', userId: ALICE }, AT))
    handed.thenEvents([{ type: 'HostChanged', data: { hostId: ALICE, reason: 'handed_over' }, at: AT, by: HOST }])
    const after = given(t, [startedPrivate(), joined(ALICE), coHostAdded(ALICE), ...(handed.decision.kind === 'accepted' ? handed.decision.events : [])])
    t.equal(after.state.status !== 'none' && after.state.hostId, ALICE)
    t.same(after.state.status !== 'none' && after.state.coHostIds, [], 'the new host is no longer listed as co-host')
    after.when(cmd(HOST, { type: 'play', position: 1 })).thenRejected('not_host')
  })
  t.test('only to a member other than the host', async (t) => {
    const g = given(t, [startedPrivate(), joined(ALICE)])
    g.when(cmd(HOST, { type: 'handOver', userId: STRANGER })).thenRejected('invalid_target')
    g.when(cmd(HOST, { type: 'handOver', userId: HOST })).thenRejected('invalid_target')
    g.when(cmd(ALICE, { type: 'handOver', userId: ALICE })).thenRejected('not_host')
  })
  t.test('a host who leaves hands control to the first co-host, else the earliest member', async (t) => {
    const leave = cmd(HOST, { type: 'leave' }, AT)
    const hostLeft: SessionEvent = { type: 'ViewerLeft', data: { userId: HOST }, at: AT, by: HOST }
    given(t, [startedPrivate(), joined(ALICE), joined(BOB), coHostAdded(BOB)])
      .when(leave)
      .thenEvents([{ type: 'HostChanged', data: { hostId: BOB, reason: 'host_left' }, at: AT, by: HOST }, hostLeft])
    given(t, [startedPrivate(), joined(ALICE), joined(BOB)])
      .when(leave)
      .thenEvents([{ type: 'HostChanged', data: { hostId: ALICE, reason: 'host_left' }, at: AT, by: HOST }, hostLeft])
  })
  t.test('a host who leaves alone hands nothing over', async (t) => {
    given(t, [startedPrivate()]).when(cmd(HOST, { type: 'leave' }, AT)).thenEvents([{ type: 'ViewerLeft', data: { userId: HOST }, at: AT, by: HOST }])
  })
})

t.test('a host gone too long', async (t) => {
  const g = given(t, [startedPrivate(), joined(ALICE), joined(BOB)])
  const gone = (present: string[], hostId = HOST) => cmd(SYSTEM_ACTOR, { type: 'hostGone', hostId, present }, AT)
  const hostChanged = (hostId: string): SessionEvent => ({ type: 'HostChanged', data: { hostId, reason: 'host_gone' }, at: AT, by: SYSTEM_ACTOR })
  t.test('control passes to the longest-present member', async (t) => {
    g.when(gone([BOB, ALICE])).thenEvents([hostChanged(BOB)])
  })
  t.test('a present co-host goes first', async (t) => {
    given(t, [startedPrivate(), joined(ALICE), joined(BOB), coHostAdded(ALICE)]).when(gone([BOB, ALICE])).thenEvents([hostChanged(ALICE)])
  })
  t.test('people present who are not members, and the host, are passed over', async (t) => {
    g.when(gone([HOST, STRANGER, ALICE])).thenEvents([hostChanged(ALICE)])
  })
  t.test('with nobody present, nothing changes', async (t) => {
    g.when(gone([])).thenNothing()
  })
  t.test('once control has passed, a second replica noticing the same absence appends nothing', async (t) => {
    given(t, [startedPrivate(), joined(ALICE), joined(BOB), hostChanged(BOB)]).when(gone([ALICE, BOB])).thenNothing()
  })
})

t.test('the end of a session', async (t) => {
  t.test('the host ends it, with the reason', async (t) => {
    given(t, [startedPrivate()]).when(cmd(HOST, { type: 'end' }, AT)).thenEvents([{ type: 'SessionEnded', data: { reason: 'host' }, at: AT, by: HOST }])
  })
  t.test('an idle session ends itself once', async (t) => {
    const idle: SessionEvent = { type: 'SessionEnded', data: { reason: 'idle' }, at: AT, by: SYSTEM_ACTOR }
    given(t, [startedPrivate()]).when(cmd(SYSTEM_ACTOR, { type: 'endIdle' }, AT)).thenEvents([idle])
    given(t, [startedPrivate(), idle]).when(cmd(SYSTEM_ACTOR, { type: 'endIdle' }, AT + 1)).thenNothing()
  })
})
