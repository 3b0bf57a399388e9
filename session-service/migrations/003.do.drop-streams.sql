-- Appends now detect conflicts through the unique (stream_id, stream_revision) index alone:
-- one INSERT per append instead of an UPDATE of the streams table plus the INSERT. What the
-- table told an operator (each stream's last revision) stays available as a view.
DROP TABLE streams;
CREATE VIEW streams AS
  SELECT stream_id, max(stream_revision) AS revision FROM events GROUP BY stream_id;
