import type pg from 'pg'
import type { PasswordHasher } from './users/password-hasher.ts'
import type { AccessTokenSigner } from './tokens/access-tokens.ts'
import type { SigningKeys } from './tokens/signing-keys.ts'
import type { RefreshPolicy } from './tokens/refresh-tokens.ts'
import type { OutboxRelay } from './outbox/relay.ts'

/** What the routes of auth-service work with; built once by `buildApp`. */
export interface AuthContext {
  pool: pg.Pool
  passwords: PasswordHasher
  keys: SigningKeys
  accessTokens: AccessTokenSigner
  refresh: RefreshPolicy
  relay: OutboxRelay
}
