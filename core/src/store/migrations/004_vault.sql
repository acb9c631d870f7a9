-- The vault (证照夹): wrapped keys, the metadata of sealed documents, enterprise seals, and the encrypted
-- progress-lookup password of application records. Nothing here is readable without the data key except
-- ids, sizes, media types and times.

-- One row once the vault is set up.
CREATE TABLE vault_state (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id          BLOB NOT NULL,     -- 16 random bytes
    key_check         BLOB NOT NULL,     -- vault_id sealed with the data key: proves an unwrapped key is this vault's
    auto_lock_seconds INTEGER NOT NULL,  -- idle time before the key is dropped; 0: never
    created_at        TEXT NOT NULL
) STRICT;

-- The data key, wrapped once per way of unlocking.
CREATE TABLE vault_key_slots (
    slot       TEXT PRIMARY KEY NOT NULL CHECK (slot IN ('pin', 'provider', 'recovery')),
    salt       BLOB,                     -- PBKDF2 salt ('pin' only)
    iterations INTEGER,                  -- PBKDF2 iterations ('pin' only), raised on unlock when the default grows
    wrapped    BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Failed unlock attempts in a row; kept across restarts so the delay between wrong PINs holds.
CREATE TABLE vault_attempts (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL,
    last_failure TEXT
) STRICT;

CREATE TABLE vault_documents (
    id          TEXT PRIMARY KEY NOT NULL,  -- 32 hex digits, also inside the sealed file's header
    sealed_name BLOB NOT NULL,              -- the file name, sealed with the data key
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,           -- plaintext bytes
    wrapped_key BLOB NOT NULL,              -- the document key, sealed with the data key
    created_at  TEXT NOT NULL
) STRICT;

-- Sealed document bytes when there is no data directory (in memory, and the browser, where the database
-- is the persistent storage). With a data directory they are files under <data_dir>/vault/.
CREATE TABLE vault_blobs (
    id   TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL
) STRICT;

-- Scans of a licence (materials link through materials.vault_document).
CREATE TABLE licence_documents (
    licence_id  INTEGER NOT NULL REFERENCES licences(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES vault_documents(id) ON DELETE CASCADE,
    PRIMARY KEY (licence_id, document_id)
) STRICT;
CREATE INDEX licence_documents_by_document ON licence_documents(document_id);

-- One enterprise seal (电子印章) per company: an Ed25519 key pair, the private key sealed with the data key.
CREATE TABLE seal_keys (
    uscc           TEXT PRIMARY KEY NOT NULL REFERENCES companies(uscc) ON DELETE CASCADE ON UPDATE CASCADE,
    key_id         TEXT NOT NULL UNIQUE,
    public_key     BLOB NOT NULL,
    sealed_private BLOB NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;

-- The progress-lookup password (查询密码) of an application record, sealed with the data key
-- (associated data records.lookup_secret.<id>). Not part of the dossier export.
ALTER TABLE records ADD COLUMN lookup_secret BLOB;
