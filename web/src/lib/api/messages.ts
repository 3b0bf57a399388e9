import { ApiError, SERVICE_UNAVAILABLE } from './http.ts'

const FRIENDLY: Record<string, string> = {
  invalid_credentials: 'Wrong e-mail address or password.',
  email_taken: 'An account with this e-mail address already exists. Log in instead?',
  [SERVICE_UNAVAILABLE]: 'That part of Tandem is not reachable right now. Try again in a moment.',
  precondition_failed: 'Your profile was changed elsewhere in the meantime; the form now shows the latest version.',
  session_not_found: 'There is no watch session with this id.',
  session_ended: 'This watch session has ended.',
  invite_invalid: 'This invite link is no longer valid; ask the host for a new one.',
  not_host: 'Only the host can do that.',
}

/** A sentence for people, never a stack trace: the service's own message unless we have a better one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const friendly = FRIENDLY[error.code]
    if (friendly) return friendly
    if (error.status >= 500) return 'Something went wrong on our side. Try again in a moment.'
    return error.message.charAt(0).toUpperCase() + error.message.slice(1) + (error.message.endsWith('.') ? '' : '.')
  }
  return 'Something went wrong. Try again in a moment.'
}
