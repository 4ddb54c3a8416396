"""What reduksi needs of a suggester: the scikit-learn estimator contract plus the codes it suggests and their
thresholds (`CodeSuggester` is the one reduksi ships; any estimator with this shape can stand in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


class Suggester(Protocol):
    """What reduksi needs of a fitted suggester (scikit-learn contract; `CodeSuggester` is the one we ship)."""

    codes_: Sequence[str]
    thresholds_: Any
    codebook_version: str

    def fit(self, excerpts: "pd.DataFrame", Y: Any, groups: Any = None, unlabelled: Any = None) -> "Suggester": ...

    def predict_proba(self, excerpts: "pd.DataFrame") -> "np.ndarray": ...

    def suggest(self, excerpts: "pd.DataFrame", top_k: int = ..., min_score: float = ...) -> list[list[Any]]:
        """Per excerpt, its suggestions (code, probability, rank, origin, reasons), best first."""
        ...
