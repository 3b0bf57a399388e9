-- Fixed-window counters shared by every replica. Losing them in a crash only resets the
-- windows, so the table skips the write-ahead log.
CREATE UNLOGGED TABLE rate_limit_counters (
  key            text        PRIMARY KEY,
  hits           integer     NOT NULL,
  window_ends_at timestamptz NOT NULL
);
