-- 0018: memos — notes on the project, a source or a code (notes on an excerpt are `note` decisions), e.g. those
-- another QDA tool exports; append-only (a changed memo is a new row).

CREATE TABLE memos (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'source', 'code')),
    target      TEXT NOT NULL DEFAULT '',      -- source name or code id; '' for the project
    title       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    author      TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT 'qdpx',
    created_at  TEXT NOT NULL
);
CREATE INDEX memos_target ON memos(target_kind, target);

CREATE TRIGGER memos_no_update BEFORE UPDATE ON memos BEGIN SELECT RAISE(ABORT, 'memos are append-only'); END;
CREATE TRIGGER memos_no_delete BEFORE DELETE ON memos BEGIN SELECT RAISE(ABORT, 'memos are append-only'); END;
