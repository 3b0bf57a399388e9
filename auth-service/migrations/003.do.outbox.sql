-- Events written in the same transaction as the change they describe, then relayed to
-- JetStream; `id` is the event id and the JetStream msgID, so a repeated relay is deduplicated.
CREATE TABLE outbox (
  id           uuid        PRIMARY KEY,
  event_type   text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE published_at IS NULL;
