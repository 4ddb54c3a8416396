-- 0022: full-text search. `excerpt_search` indexes each excerpt's text and its lemmas (rowid = excerpts.id; filled
-- by the app layer for excerpts not indexed yet, since lemmas come from the language backend); `search_sets` keeps
-- a search as a named set of excerpts (append-only: a set of the same name saved again is a new row, the newest
-- counts) so it can be coded in bulk, each coding still a logged decision.

CREATE VIRTUAL TABLE excerpt_search USING fts5(text, lemmas, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE search_sets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    filters     TEXT NOT NULL DEFAULT '{}',   -- JSON: the filters the search used
    excerpt_ids TEXT NOT NULL,                -- JSON list, in result order
    reviewer    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX search_sets_name ON search_sets(name);

CREATE TRIGGER search_sets_no_update BEFORE UPDATE ON search_sets BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER search_sets_no_delete BEFORE DELETE ON search_sets BEGIN SELECT RAISE(ABORT, 'append-only'); END;
