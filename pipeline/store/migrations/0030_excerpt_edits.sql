-- 0030: excerpts made or reshaped by a researcher (the web workspace's span coding): a new excerpt from a selected
-- span of a source, or an excerpt's boundaries moved. The excerpt row holds the current offsets (its text is always
-- source.text[start:end]); this append-only table keeps who did what and the offsets before and after.

CREATE TABLE excerpt_edits (
    id          INTEGER PRIMARY KEY,
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts(id),
    operation   TEXT NOT NULL CHECK (operation IN ('create', 'adjust')),
    old_start   INTEGER,
    old_end     INTEGER,
    new_start   INTEGER NOT NULL,
    new_end     INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX excerpt_edits_excerpt ON excerpt_edits(excerpt_id);

CREATE TRIGGER excerpt_edits_no_update BEFORE UPDATE ON excerpt_edits
BEGIN SELECT RAISE(ABORT, 'excerpt edits are append-only'); END;
CREATE TRIGGER excerpt_edits_no_delete BEFORE DELETE ON excerpt_edits
BEGIN SELECT RAISE(ABORT, 'excerpt edits are append-only'); END;
