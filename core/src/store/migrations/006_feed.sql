-- The signed content feed: what the device trusts and which version it holds.

-- The content files (policies.json, faq.jsonl, guide.json, holidays/YYYY.json), one row per file, written by
-- the feed in one transaction per version. Migration 005 (policies) creates the table; it is repeated here
-- only so this migration stands on its own.
CREATE TABLE IF NOT EXISTS content_files (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL,  -- the manifest version that delivered these bytes
    bytes   BLOB NOT NULL
) STRICT;

-- One row once a feed version has been applied; until then the embedded feed is in force.
CREATE TABLE feed_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    root_json        BLOB NOT NULL,     -- the trusted root, exactly as verified
    root_version     INTEGER NOT NULL CHECK (root_version > 0),
    manifest_json    BLOB NOT NULL,     -- the manifest in force, exactly as verified
    manifest_version INTEGER NOT NULL CHECK (manifest_version > 0),
    expires          TEXT NOT NULL,     -- manifest expiry, Asia/Shanghai local time
    etag             TEXT,              -- the manifest's ETag, sent as If-None-Match
    source           TEXT NOT NULL,     -- the site URL it came from
    synced_at        TEXT NOT NULL,     -- when this version was applied
    checked_at       TEXT NOT NULL      -- the last sync that found the feed fresh
) STRICT;
