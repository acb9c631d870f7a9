-- An operator's own knowledge base, replacing the embedded one while present. Entries are kept as the
-- JSON they were imported as, in import order.
CREATE TABLE kb_entries (
    position INTEGER PRIMARY KEY NOT NULL,
    id       TEXT NOT NULL UNIQUE,
    json     TEXT NOT NULL
) STRICT;
