import { VISIBILITIES, type UpdateSessionRequest, type Visibility } from '@tandem/contracts'

/**
 * The host's settings form as `PATCH /v1/sessions/:id` wants it: only the settings the form
 * names, each with a value the contract allows; null when there is nothing valid to send.
 */
export function settingsFrom(form: FormData): UpdateSessionRequest | null {
  const changes: UpdateSessionRequest = {}
  const visibility = form.get('visibility')
  if (visibility !== null) {
    if (!VISIBILITIES.includes(visibility as Visibility)) return null
    changes.visibility = visibility as Visibility
  }
  const membersMayInvite = form.get('membersMayInvite')
  if (membersMayInvite !== null) {
    if (membersMayInvite !== 'true' && membersMayInvite !== 'false') return null
    changes.membersMayInvite = membersMayInvite === 'true'
  }
  return Object.keys(changes).length > 0 ? changes : null
}
