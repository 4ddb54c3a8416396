-- 0007: changes to a project's codebook (add, edit, rename, merge, split, retire, adopt a candidate theme) and the
-- excerpts they send back to review; both append-only. Verified labels are never rewritten: the replay of the
-- decision log reads each decision's codes through the changes made after it (see pipeline/decision_log.py).

CREATE TABLE codebook_changes (
    id            INTEGER PRIMARY KEY,
    operation     TEXT NOT NULL CHECK (operation IN ('add', 'edit', 'rename', 'merge', 'split', 'retire', 'adopt')),
    codes         TEXT NOT NULL,               -- JSON list: the codes it acts on
    targets       TEXT NOT NULL DEFAULT '[]',  -- JSON list: what they become (rename, merge: one; split: several)
    watermark     INTEGER NOT NULL,            -- decisions with id <= watermark were made under the old codes
    from_version  TEXT NOT NULL,
    to_version    TEXT NOT NULL,
    reviewer      TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE review_requests (
    id          INTEGER PRIMARY KEY,
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts(id),
    change_id   INTEGER REFERENCES codebook_changes(id),
    reason      TEXT NOT NULL,
    watermark   INTEGER NOT NULL,              -- a decision on the excerpt after this id answers the request
    created_at  TEXT NOT NULL
);
CREATE INDEX review_requests_excerpt ON review_requests(excerpt_id);

-- Append-only, like the decision log.
CREATE TRIGGER codebook_changes_no_update BEFORE UPDATE ON codebook_changes BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER codebook_changes_no_delete BEFORE DELETE ON codebook_changes BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER review_requests_no_update BEFORE UPDATE ON review_requests BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER review_requests_no_delete BEFORE DELETE ON review_requests BEGIN SELECT RAISE(ABORT, 'append-only'); END;
