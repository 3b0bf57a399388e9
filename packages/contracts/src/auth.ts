/** Wire types of auth-service's REST API. Every request body refuses unknown fields. */
import { Type, type Static } from '@sinclair/typebox'

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
const Password = Type.String({ minLength: 8, maxLength: 128 })
/**
 * Trimmed first; no control characters and no unpaired surrogates (which would be stored as
 * U+FFFD, not as sent); emoji and the like are fine.
 */
const DisplayName = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\p{Cc}\\p{Cs}\\u2028\\u2029]+$' })
const RefreshToken = Type.String({ minLength: 1, maxLength: 512 })

export const RegisterRequestSchema = Type.Object(
  { email: Email, password: Password, displayName: DisplayName },
  { additionalProperties: false },
)
export type RegisterRequest = Static<typeof RegisterRequestSchema>

export const LoginRequestSchema = Type.Object(
  {
    // loose on purpose (any stored address must be able to sign in), but PostgreSQL text cannot hold NUL
    email: Type.String({ minLength: 1, maxLength: 254, pattern: '^[^\\u0000]+$' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
)
export type LoginRequest = Static<typeof LoginRequestSchema>

/** The body of `POST /v1/refresh` and `POST /v1/logout`. */
export const RefreshRequestSchema = Type.Object({ refreshToken: RefreshToken }, { additionalProperties: false })
export type RefreshRequest = Static<typeof RefreshRequestSchema>

export const UserViewSchema = Type.Object({ id: Type.String(), email: Type.String(), displayName: Type.String() })
export type UserView = Static<typeof UserViewSchema>

export const TokensSchema = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
})
export type Tokens = Static<typeof TokensSchema>

/** The answer of register and login: the user and a fresh pair of tokens. */
export const SignedInSchema = Type.Composite([Type.Object({ user: UserViewSchema }), TokensSchema])
export type SignedIn = Static<typeof SignedInSchema>

/** `GET /.well-known/jwks.json`: the Ed25519 public keys access tokens are signed with. */
export const JwksResponseSchema = Type.Object({
  keys: Type.Array(
    Type.Object(
      { kty: Type.String(), crv: Type.String(), x: Type.String(), kid: Type.String(), alg: Type.String(), use: Type.String() },
      { additionalProperties: true },
    ),
  ),
})
export type JwksResponse = Static<typeof JwksResponseSchema>
