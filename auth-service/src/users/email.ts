/** The form used to compare e-mail addresses: surrounding space removed, letter case ignored. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}
