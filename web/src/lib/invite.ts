import { InviteTokenSchema } from '@tandem/contracts'

const TOKEN = new RegExp(InviteTokenSchema.pattern as string)

/** What people are told about a link that does not (or no longer) lead into a session. */
export const INVITE_INVALID_MESSAGE = 'This invite link is no longer valid; ask the host for a new one.'

/** Whether `value` has the shape of an invite token (whether it works only session-service knows). */
export function isInviteToken(value: string): boolean {
  return value.length >= (InviteTokenSchema.minLength ?? 1) && value.length <= (InviteTokenSchema.maxLength ?? 200) && TOKEN.test(value)
}

/** The link people share: the watch page with the token. */
export function inviteUrl(origin: string, sessionId: string, token: string): string {
  return `${origin}/sessions/${encodeURIComponent(sessionId)}?invite=${encodeURIComponent(token)}`
}
