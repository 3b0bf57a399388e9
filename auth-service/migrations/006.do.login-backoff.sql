-- Failed logins in a row on one account, from any address, and until when the account is held
-- for addresses that never signed in to it. Losing it in a crash only ends holds early.
CREATE UNLOGGED TABLE login_failure_streaks (
  account_key     text        PRIMARY KEY,
  failures        integer     NOT NULL,
  last_failure_at timestamptz NOT NULL,
  -- NULL until the failures reach LOGIN_BACKOFF_AFTER_FAILURES
  held_until      timestamptz
);

-- (account, client address) pairs that signed in successfully, as a SHA-256 of both: the
-- account's hold does not apply to them, so a flood from elsewhere cannot lock the owner out.
CREATE TABLE known_sign_in_addresses (
  key            bytea       PRIMARY KEY,
  last_signed_in timestamptz NOT NULL
);
