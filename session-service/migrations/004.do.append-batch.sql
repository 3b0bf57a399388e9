-- Appends to several streams in one transaction, so that one commit (one WAL flush) makes all of
-- them durable. Each append runs in its own subtransaction (the EXCEPTION block): a conflict
-- refuses that append alone. The guard and the unique (stream_id, stream_revision) index detect
-- conflicts exactly as a single append does (see docs/event-store.md).
--
-- Events of append i are elements first_i … first_i + counts[i] − 1 of the event arrays.
-- Returns, for each append, whether it was written.
CREATE FUNCTION append_to_streams(
  stream_ids text[],
  afters bigint[],
  counts integer[],
  event_ids uuid[],
  types text[],
  datas jsonb[],
  metadatas jsonb[]
) RETURNS boolean[]
LANGUAGE plpgsql AS $$
DECLARE
  written boolean[] := '{}';
  first integer := 1;
  inserted bigint;
BEGIN
  FOR i IN 1 .. coalesce(array_length(stream_ids, 1), 0) LOOP
    BEGIN
      INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
      SELECT stream_ids[i], afters[i] + k, event_ids[first + k - 1], types[first + k - 1], datas[first + k - 1], metadatas[first + k - 1]
      FROM generate_series(1, counts[i]) AS k
      WHERE afters[i] = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = stream_ids[i] AND stream_revision = afters[i]);
      GET DIAGNOSTICS inserted = ROW_COUNT;
      written := written || (inserted = counts[i]);
    EXCEPTION WHEN unique_violation THEN
      written := written || false;
    END;
    first := first + counts[i];
  END LOOP;
  RETURN written;
END $$;
