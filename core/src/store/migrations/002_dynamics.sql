-- Dynamics: what the owner did with an item, and the owner's own reminders.

-- One row per (company, item id). `subject` is the obligation the id is a milestone of: "done" closes the
-- whole subject, "dismissed" and "snoozed" only the id. Rows follow a corrected USCC and go with the
-- company.
CREATE TABLE dynamic_states (
    uscc       TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    dynamic_id TEXT NOT NULL,
    subject    TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('done', 'dismissed', 'snoozed')),
    until      TEXT,           -- snoozed: the day the item shows again (YYYY-MM-DD)
    at         TEXT NOT NULL,  -- when the owner acted (local time)
    PRIMARY KEY (uscc, dynamic_id),
    CHECK ((state = 'snoozed') = (until IS NOT NULL))
) STRICT;

-- AUTOINCREMENT: ids are never reused, so a state stored for "custom:7:…" never attaches to a later
-- reminder.
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc       TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    title      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    due        TEXT NOT NULL,  -- the (first) day
    repeat     TEXT NOT NULL CHECK (repeat IN ('once', 'monthly', 'quarterly', 'yearly')),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX reminders_by_company ON reminders(uscc);
