-- 0023: the data collection round of a source (putaran: 1, 2, ...), from the manifest; NULL when not given.
ALTER TABLE sources ADD COLUMN round TEXT;
