-- Policies: the catalog's replacement slot, what the owner opened and saved, and what was seen.

-- Content files delivered by the feed, one row per file name. The policy service reads `policies.json`
-- from here when its catalog version is newer than the embedded one. The feed's migration creates the
-- same table, so whichever runs first wins and the other is a no-op.
CREATE TABLE IF NOT EXISTS content_files (name TEXT PRIMARY KEY, version INTEGER NOT NULL, bytes BLOB NOT NULL) STRICT;

-- Every time the owner opened a policy. Kind and issuer are kept so interest carries over to similar
-- policies even after the catalog changes. Rows older than a year weigh nothing and are pruned.
CREATE TABLE policy_opens (
    id        INTEGER PRIMARY KEY,
    uscc      TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    policy_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    issuer    TEXT NOT NULL,
    on_day    TEXT NOT NULL  -- YYYY-MM-DD, Asia/Shanghai
) STRICT;
CREATE INDEX policy_opens_by_company ON policy_opens(uscc, policy_id);

-- Saved policies (收藏); unsaving deletes the row.
CREATE TABLE policy_saves (
    uscc      TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    policy_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    issuer    TEXT NOT NULL,
    saved_on  TEXT NOT NULL,
    PRIMARY KEY (uscc, policy_id)
) STRICT;

-- Eligible policies already known for a company, so only newly eligible ones are announced.
CREATE TABLE policy_seen (
    uscc          TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    policy_id     TEXT NOT NULL,
    first_seen_on TEXT NOT NULL,
    announced     INTEGER NOT NULL CHECK (announced IN (0, 1)),  -- 0: recorded in the baseline
    PRIMARY KEY (uscc, policy_id)
) STRICT;

-- The day a company's baseline was taken (its first look at policies).
CREATE TABLE policy_baselines (
    uscc   TEXT PRIMARY KEY NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    on_day TEXT NOT NULL
) STRICT;
