-- 0040: names found in the text. Each detected name keeps one pseudonym for the life of the project (so every
-- export says [ORANG-3] for the same person); a researcher's "not a name" (or "a name after all") is a logged,
-- append-only decision, the latest per name wins.

CREATE TABLE name_pseudonyms (
    name        TEXT PRIMARY KEY,               -- the name as written in the text ("Hendrawati", "SDN Cikaret 2")
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'school', 'place')),
    pseudonym   TEXT NOT NULL UNIQUE,           -- [ORANG-1], [SEKOLAH-1], [TEMPAT-1]
    created_at  TEXT NOT NULL
);
CREATE TRIGGER name_pseudonyms_no_update BEFORE UPDATE ON name_pseudonyms
BEGIN SELECT RAISE(ABORT, 'pseudonyms are stable: never changed'); END;
CREATE TRIGGER name_pseudonyms_no_delete BEFORE DELETE ON name_pseudonyms
BEGIN SELECT RAISE(ABORT, 'pseudonyms are stable: never deleted'); END;

CREATE TABLE name_decisions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('not_a_name', 'name')),
    reviewer    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX name_decisions_name ON name_decisions(name);
CREATE TRIGGER name_decisions_no_update BEFORE UPDATE ON name_decisions
BEGIN SELECT RAISE(ABORT, 'name decisions are append-only'); END;
CREATE TRIGGER name_decisions_no_delete BEFORE DELETE ON name_decisions
BEGIN SELECT RAISE(ABORT, 'name decisions are append-only'); END;
