-- One row per stream: the revision of its last event. Appends lock this row, so writers of one
-- stream are serialised and a stale expected revision is detected.
CREATE TABLE streams (
  stream_id text PRIMARY KEY,
  revision  bigint NOT NULL
);

-- The events of every stream. global_position comes from a sequence, so two concurrent
-- transactions may commit their positions out of order; transaction_id lets a catch-up reader
-- wait until every transaction that could still add a lower position has finished
-- (see docs/event-store.md).
CREATE TABLE events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id        uuid NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, stream_revision)
);

CREATE INDEX events_global_order ON events (transaction_id, global_position);
