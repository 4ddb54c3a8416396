-- 0003: review assignments (double coding), bookmarks (where a reviewer stopped) and model events (trained /
-- promoted / kept); all append-only.

-- Who is asked to code which excerpt. An excerpt in the overlap sample of a round is assigned to two reviewers.
CREATE TABLE review_assignments (
    id          INTEGER PRIMARY KEY,
    round       TEXT NOT NULL,                 -- one `reduksi assign` call
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts(id),
    reviewer    TEXT NOT NULL,
    overlap     INTEGER NOT NULL DEFAULT 0,    -- 1: also assigned to another reviewer (for agreement)
    created_at  TEXT NOT NULL,
    UNIQUE (round, excerpt_id, reviewer)
);
CREATE INDEX review_assignments_reviewer ON review_assignments(reviewer);

-- What happened to each model version: trained, then promoted (in use) or kept back, with the comparison figures.
CREATE TABLE model_events (
    id          INTEGER PRIMARY KEY,
    version     TEXT NOT NULL,                 -- model folder name, NAME-N
    path        TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN ('trained', 'promoted', 'kept')),
    watermark   INTEGER,                       -- last decision id the model learned from (NULL: unknown)
    compared_to TEXT,                          -- the version it was evaluated against
    metrics     TEXT NOT NULL DEFAULT '{}',    -- JSON: old and new figures on the same grouped split
    forced      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- Where a reviewer stopped: the excerpt on screen when they quit comes first in their next session.
CREATE TABLE review_bookmarks (
    id          INTEGER PRIMARY KEY,
    reviewer    TEXT NOT NULL,
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts(id),
    created_at  TEXT NOT NULL
);

CREATE TRIGGER review_assignments_no_update BEFORE UPDATE ON review_assignments
BEGIN SELECT RAISE(ABORT, 'assignments are append-only'); END;
CREATE TRIGGER review_assignments_no_delete BEFORE DELETE ON review_assignments
BEGIN SELECT RAISE(ABORT, 'assignments are append-only'); END;
CREATE TRIGGER model_events_no_update BEFORE UPDATE ON model_events
BEGIN SELECT RAISE(ABORT, 'model events are append-only'); END;
CREATE TRIGGER model_events_no_delete BEFORE DELETE ON model_events
BEGIN SELECT RAISE(ABORT, 'model events are append-only'); END;
