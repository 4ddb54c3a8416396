-- 0002: the researcher's triangulation verdict per code (status + note), as history: append rows, the latest wins.

CREATE TABLE triangulation_status (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('belum_diperiksa', 'terkonfirmasi', 'perlu_data_tambahan',
                                                'ditolak')),
    note        TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX triangulation_status_code ON triangulation_status(code);

-- Verdicts are never changed or removed: a change of mind is a new row.
CREATE TRIGGER triangulation_status_no_update BEFORE UPDATE ON triangulation_status BEGIN
    SELECT RAISE(ABORT, 'triangulation status is append-only');
END;
CREATE TRIGGER triangulation_status_no_delete BEFORE DELETE ON triangulation_status BEGIN
    SELECT RAISE(ABORT, 'triangulation status is append-only');
END;
