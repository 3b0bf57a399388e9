-- A family is one sign-in: every refresh token rotated from the first one belongs to it, so a
-- stolen token that is used twice can be answered by revoking the whole chain.
CREATE TABLE refresh_token_families (
  id             uuid        PRIMARY KEY,
  user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  revoked_reason text        CHECK (revoked_reason IN ('logout', 'reuse'))
);

CREATE INDEX refresh_token_families_user_id ON refresh_token_families (user_id);

-- Only the SHA-256 of a token is stored; the token itself exists only in the client's hands.
CREATE TABLE refresh_tokens (
  token_hash bytea       PRIMARY KEY,
  family_id  uuid        NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- set when the token is exchanged for the next one; a second use is a reuse
  used_at    timestamptz
);

CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
