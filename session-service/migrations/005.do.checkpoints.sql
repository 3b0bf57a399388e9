-- The latest checkpoint of each projection (the lobby): its state up to a place in the feed of
-- all streams, so a replica starts reading the feed there. A cache: deleting rows is safe.
-- The position is the feed's own (transaction_id, global_position), so a save can keep only the later.
CREATE TABLE checkpoints (
  name            text PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  global_position bigint NOT NULL,
  schema_version  integer NOT NULL,
  state           jsonb NOT NULL,
  saved_at        timestamptz NOT NULL DEFAULT now()
);
