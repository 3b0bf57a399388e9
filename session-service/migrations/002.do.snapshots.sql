-- The latest snapshot of each stream: the folded state at `revision`, so loading a session reads
-- this row plus the events after it instead of the whole stream. A cache: deleting rows is safe.
CREATE TABLE snapshots (
  stream_id      text PRIMARY KEY,
  revision       bigint NOT NULL,
  schema_version integer NOT NULL,
  state          jsonb NOT NULL,
  taken_at       timestamptz NOT NULL DEFAULT now()
);
