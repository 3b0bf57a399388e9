CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  -- as the user typed it (trimmed); uniqueness and look-ups ignore case
  email         text        NOT NULL,
  display_name  text        NOT NULL,
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));
