-- Feed format 2: the timestamp role, and stored state that is checked again on every load instead of
-- believed. The device keeps every root version past the pinned one and the manifest's signatures, so
-- it can re-verify the whole chain from the root its binary pins.

CREATE TABLE feed_roots (
    version INTEGER PRIMARY KEY CHECK (version > 0),
    json    BLOB NOT NULL              -- roots/N.json exactly as verified
) STRICT;

ALTER TABLE feed_state ADD COLUMN signatures_json BLOB;  -- manifest.json.sig exactly as verified
ALTER TABLE feed_state ADD COLUMN timestamp_json BLOB;   -- timestamp.json exactly as verified

-- A format-1 state cannot be checked again (no signatures kept, no timestamp): the embedded content is in
-- force until the next sync, which fetches format 2 and replaces the stored files.
DELETE FROM feed_state;
