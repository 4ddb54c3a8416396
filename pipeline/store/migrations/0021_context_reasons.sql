-- 0021: the interviewer's question words that moved a suggestion's score (the suggest stage's `context_reasons`),
-- kept apart from `reasons` (the informant's own words) so no shell highlights them in the excerpt.

ALTER TABLE suggestions ADD COLUMN context_reasons TEXT NOT NULL DEFAULT '[]';  -- JSON list of lemmas
