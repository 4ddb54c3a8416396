"""A model trained for an earlier version of the codebook, read through the codebook changes made since.

The codes it knows keep its suggestions under their current ids (renamed, merged: the best of the merged codes;
edited: as before); codes it does not know (added, adopted, the parts of a split) start cold, from the codebook
alone, exactly as they would with no model. It is not re-fitted: `reduksi train` trains a model for the current
codebook, and `recipe()` gives the estimator to fit (the model's parameters, the current codebook's profiles).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.base import clone

from pipeline.errors import ModelError
from pipeline.suggest.estimator import COLD_START_THRESHOLD, CodeSuggester, Suggestion


class CarriedSuggester:
    """`model` (a fitted CodeSuggester for an earlier codebook) plus a cold start for the codes it does not know."""

    def __init__(self, model: CodeSuggester, code_map: Mapping[str, str | None],
                 codes: tuple[tuple[str, str], ...], codebook_version: str) -> None:
        self.model = model
        self.codes = codes  # the current codebook's ((code id, profile text), ...)
        self.codebook_version = codebook_version
        current = [code for code, _ in codes]
        self.code_map = {old: new for old, new in code_map.items() if new in current}
        self.codes_ = np.asarray(current, dtype=object)
        self.known_ = tuple(c for c in current if c in self.code_map.values())
        self.cold_codes_ = tuple(c for c in current if c not in self.known_)
        model_position = {str(c): j for j, c in enumerate(model.codes_)}
        self._sources = {new: [model_position[old] for old, mapped in self.code_map.items() if mapped == new]
                         for new in self.known_}
        self.thresholds_ = np.array([min(model.thresholds_[j] for j in self._sources[c]) if c in self._sources
                                     else COLD_START_THRESHOLD for c in current])

    def fit(self, excerpts: Any, Y: Any, groups: Any = None, unlabelled: Any = None) -> "CarriedSuggester":
        raise ModelError("a model carried across a codebook change is not re-fitted",
                         hint="train a model for the current codebook with `reduksi train PROJECT`")

    def recipe(self) -> CodeSuggester:
        """An unfitted estimator with the model's parameters and the current codebook."""
        fresh: CodeSuggester = clone(self.model)
        return fresh.set_params(codes=self.codes, codebook_version=self.codebook_version)

    def predict_proba(self, excerpts: Any) -> np.ndarray:
        """(n, n_codes) in the current codebook's order: the model's for codes it knows, the codebook's for others."""
        p_model = self.model.predict_proba(excerpts)
        p_cold = self._cold(excerpts).predict_proba(excerpts)
        columns = [p_model[:, self._sources[c]].max(1) if c in self._sources else p_cold[:, j]
                   for j, c in enumerate(self.codes_)]
        return np.column_stack(columns) if columns else np.zeros((len(p_model), 0))

    def suggest(self, excerpts: Any, top_k: int = 3, min_score: float = 0.0) -> list[list[Suggestion]]:
        """The model's passing suggestions under their current codes, and the cold start's for new codes."""
        from_model = self.model.suggest(excerpts, top_k=len(self.model.codes_), min_score=min_score)
        from_cold = self._cold(excerpts).suggest(excerpts, top_k=len(self.codes_), min_score=min_score)
        cold = set(self.cold_codes_)
        result = []
        for known, fresh in zip(from_model, from_cold):
            best: dict[str, Suggestion] = {}
            moved = [replace(s, code=self.code_map[s.code]) for s in known if s.code in self.code_map]
            for s in [*moved, *(s for s in fresh if s.code in cold)]:
                if s.code not in best or s.probability > best[s.code].probability:
                    best[s.code] = s
            ranked = sorted(best.values(), key=lambda s: -s.probability)[:max(int(top_k), 0)]
            result.append([replace(s, rank=rank) for rank, s in enumerate(ranked, start=1)])
        return result

    def _cold(self, excerpts: Any) -> CodeSuggester:
        """The codebook alone for the current codes, its word statistics from the excerpts it scores."""
        cold = CodeSuggester(codes=self.codes, codebook_version=self.codebook_version, backend=self.model.backend,
                             n_reasons=self.model.n_reasons)
        return cold.fit(excerpts, [()] * len(excerpts))
