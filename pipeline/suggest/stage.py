"""The suggest stage: excerpts + codebook (+ a trained model) -> ranked code suggestions with reasons.

Output columns (one row per suggestion that passes; an excerpt with none passing simply has no rows — "no code"):
    excerpt_id, key, code, probability (float in [0, 1]), rank (1..top_k within the excerpt),
    origin ('codebook' | 'model' | 'both'), reasons (list[str], terms as written in the excerpt), model_version,
    context_reasons (list[str], lemmas of the interviewer's question that moved the score: shown apart, never
    highlighted in the excerpt).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.config import SuggestConfig
from pipeline.errors import ModelError
from pipeline.suggest.estimator import CodeSuggester
from pipeline.suggest.persist import SuggestModel, check_codebook
from pipeline.suggest.prior import codebook_profiles

COLUMNS = ["excerpt_id", "key", "code", "probability", "rank", "origin", "reasons", "model_version", "context_reasons"]


def run(excerpts: pd.DataFrame, codebook: Codebook, config: SuggestConfig,
        model: SuggestModel | None = None) -> pd.DataFrame:
    """Suggest codes for `excerpts` (columns excerpt_id, key, text, optional context) with `model`, or from the
    codebook alone (cold start) when `model` is None."""
    missing = {"excerpt_id", "key", "text"} - set(excerpts.columns)
    if missing:
        raise ModelError(f"excerpt frame lacks column(s) {', '.join(sorted(missing))}")
    if excerpts.empty or codebook.is_empty:  # open coding: nothing to suggest from
        return pd.DataFrame(columns=COLUMNS)
    estimator, version = _estimator(excerpts, codebook, config, model)
    suggested = estimator.suggest(excerpts, top_k=config.top_k, min_score=config.min_score)
    rows = [(excerpt_id, key, s.code, s.probability, s.rank, s.origin, list(s.reasons), version,
             list(s.context_reasons))
            for excerpt_id, key, found in zip(excerpts["excerpt_id"], excerpts["key"], suggested) for s in found]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"probability": float, "rank": int})


def cold_start(excerpts: pd.DataFrame, codebook: Codebook, config: SuggestConfig) -> CodeSuggester:
    """A suggester that knows only the codebook; the excerpts to score give it their word statistics (idf)."""
    estimator = CodeSuggester(codes=codebook_profiles(codebook), codebook_version=codebook.version,
                              backend=config.lemma_backend, n_reasons=config.n_reasons)
    return estimator.fit(excerpts, [()] * len(excerpts))


def _estimator(excerpts: pd.DataFrame, codebook: Codebook, config: SuggestConfig,
               model: Any) -> tuple[CodeSuggester, str]:
    if model is None:
        return cold_start(excerpts, codebook, config), codebook.identity
    check_codebook(model, codebook)
    return model.estimator, model.version
