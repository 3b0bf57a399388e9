-- When a sign-in ends however often its refresh token is rotated (SIGN_IN_MAX_AGE_DAYS after it
-- started); every token of the family expires by then. Sign-ins from before get the default 30 days.
ALTER TABLE refresh_token_families ADD COLUMN ends_at timestamptz;
UPDATE refresh_token_families SET ends_at = created_at + interval '30 days';
ALTER TABLE refresh_token_families ALTER COLUMN ends_at SET NOT NULL;
