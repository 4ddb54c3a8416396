-- 0010: what ingest learns about a source beyond its text: the convention its turns were read in, its header
-- metadata (JSON object of the header block / front matter, as written), the speakers with their roles (JSON), and
-- per turn the speaker's role, the memo from a verbatim table's analysis column, and whether it continues the
-- previous turn after a page break. Numbered 0010 so parallel migrations (0004…) never take the same number.

ALTER TABLE sources ADD COLUMN convention TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sources ADD COLUMN speakers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE units ADD COLUMN role TEXT;
ALTER TABLE units ADD COLUMN memo TEXT;
ALTER TABLE units ADD COLUMN continued INTEGER NOT NULL DEFAULT 0;
