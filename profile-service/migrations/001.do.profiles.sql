-- One row per user. The editable fields live in `doc` (jsonb, the same document the MongoDB
-- adapter stores); the columns are what statements filter and order on.
CREATE TABLE profiles (
  user_id     text PRIMARY KEY,
  doc         jsonb NOT NULL CHECK (jsonb_typeof(doc) = 'object'),
  version     integer NOT NULL CHECK (version >= 1),
  updated_at  timestamptz NOT NULL,
  -- true from an edit until its profile.updated is confirmed published (the row is its own outbox)
  unpublished boolean NOT NULL DEFAULT false
);

CREATE INDEX profiles_unpublished ON profiles (updated_at) WHERE unpublished;
