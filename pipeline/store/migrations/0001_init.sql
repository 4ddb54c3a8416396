-- 0001: sources, informants, units (turns/paragraphs), excerpts, runs, codebooks, suggestions, decisions.

CREATE TABLE informants (
    id          TEXT PRIMARY KEY,              -- pseudonymous id, e.g. G03
    role        TEXT,
    site        TEXT,
    real_name   TEXT,                          -- only for pseudonymising exports; never exported by default
    attributes  TEXT NOT NULL DEFAULT '{}'     -- JSON object
);

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,                -- file stem; stable identity across versions
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    format       TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('transcript', 'paragraphs')),
    method       TEXT NOT NULL CHECK (method IN ('wawancara', 'observasi', 'dokumen')),
    informant_id TEXT REFERENCES informants(id),
    site         TEXT,
    date         TEXT,
    text         TEXT NOT NULL,                -- normalised text: every offset points into it
    ingested_at  TEXT NOT NULL,
    run_id       INTEGER REFERENCES runs(id),
    UNIQUE (name, version),
    UNIQUE (name, sha256)
);

CREATE TABLE units (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    idx            INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    speaker        TEXT,
    is_interviewer INTEGER NOT NULL DEFAULT 0,
    timestamp      TEXT,
    UNIQUE (source_id, idx),
    CHECK (start <= end)
);

CREATE TABLE excerpts (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    key         TEXT NOT NULL,
    unit        INTEGER NOT NULL,
    window      INTEGER NOT NULL DEFAULT 0,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    speaker     TEXT,
    text        TEXT NOT NULL,
    context     TEXT,                          -- the interviewer's preceding question
    annotations TEXT NOT NULL DEFAULT '[]',    -- JSON [[start, end, label], ...] (absolute offsets)
    n_words     INTEGER NOT NULL,
    UNIQUE (source_id, key),
    CHECK (start < end)
);
CREATE INDEX excerpts_key ON excerpts(key);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running',
    backend     TEXT,
    config      TEXT NOT NULL DEFAULT ''       -- resolved TOML
);

CREATE TABLE codebooks (
    version    TEXT PRIMARY KEY,               -- content hash
    path       TEXT,
    content    TEXT NOT NULL,                  -- the YAML as loaded
    loaded_at  TEXT NOT NULL
);

CREATE TABLE suggestions (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    excerpt_id    INTEGER NOT NULL REFERENCES excerpts(id),
    code          TEXT NOT NULL,
    probability   REAL NOT NULL,
    rank          INTEGER NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('codebook', 'model', 'both')),
    model_version TEXT NOT NULL,
    codebook_version TEXT NOT NULL,
    reasons       TEXT NOT NULL DEFAULT '[]',  -- JSON list of terms that pushed the suggestion
    UNIQUE (run_id, excerpt_id, code)
);
CREATE INDEX suggestions_excerpt ON suggestions(excerpt_id);

-- Append-only decision log: the verified labels are derived from it; nothing is ever updated or deleted.
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    excerpt_id    INTEGER NOT NULL REFERENCES excerpts(id),
    reviewer      TEXT NOT NULL,
    action        TEXT NOT NULL,               -- accept, reject, set, add, remove, note, undo
    codes         TEXT NOT NULL DEFAULT '[]',  -- JSON list of code ids the action is about
    note          TEXT,
    suggestion_run_id INTEGER REFERENCES runs(id),
    model_version TEXT,
    undoes        INTEGER REFERENCES decisions(id),
    origin        TEXT NOT NULL DEFAULT 'review',  -- review, spreadsheet, qdpx, gold
    created_at    TEXT NOT NULL
);
CREATE INDEX decisions_excerpt ON decisions(excerpt_id);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
