/** Claims of an access token issued by auth-service (EdDSA / Ed25519, `kid` in the header). */
export interface AccessTokenClaims {
  /** user id */
  sub: string
  /** display name at the time of issue */
  name: string
  iss: string
  aud: string
  iat: number
  exp: number
  jti: string
}

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA'
/** The audience every Tandem service accepts. */
export const ACCESS_TOKEN_AUDIENCE = 'tandem'
/** Access tokens live at most this long. */
export const ACCESS_TOKEN_MAX_TTL_SECONDS = 15 * 60
export const JWKS_PATH = '/.well-known/jwks.json'
