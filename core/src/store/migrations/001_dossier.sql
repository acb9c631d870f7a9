-- The dossier: companies, their licences, materials and application records.
-- Dates are ISO-8601 text (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS, Asia/Shanghai); money is integer fen.

CREATE TABLE companies (
    uscc                   TEXT PRIMARY KEY NOT NULL,
    name                   TEXT NOT NULL,
    company_type           TEXT NOT NULL,
    legal_representative   TEXT NOT NULL,
    registered_capital_fen INTEGER NOT NULL,
    established_on         TEXT NOT NULL,
    address                TEXT NOT NULL,
    district               TEXT NOT NULL,
    industry               TEXT NOT NULL,
    employees              INTEGER NOT NULL,
    revenue_fen            INTEGER NOT NULL,
    total_assets_fen       INTEGER,
    taxpayer_kind          TEXT NOT NULL,
    credit_grade           TEXT,
    tags                   TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    created_seq            INTEGER NOT NULL             -- insertion order, for stable listing
) STRICT;

-- AUTOINCREMENT: ids are never reused, so reminders keyed by id stay attached to the right thing.
CREATE TABLE licences (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc        TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    kind        TEXT NOT NULL,
    number      TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    valid_until TEXT,          -- NULL: 长期有效
    scope       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX licences_by_company ON licences(uscc);

CREATE TABLE materials (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc           TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    valid_until    TEXT,
    vault_document TEXT
) STRICT;
CREATE INDEX materials_by_company ON materials(uscc);

CREATE TABLE records (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc         TEXT NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    item_code    TEXT NOT NULL,
    item_name    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    submitted_on TEXT NOT NULL
) STRICT;
CREATE INDEX records_by_company ON records(uscc);

CREATE TABLE record_statuses (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    status    TEXT NOT NULL,
    at        TEXT NOT NULL
) STRICT;
CREATE INDEX statuses_by_record ON record_statuses(record_id, id);

-- Small app-wide settings, e.g. the current company.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
