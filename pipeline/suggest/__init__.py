"""Code suggester: a calibrated multi-label classifier over excerpts, with codebook cold start and reasons.

`run(excerpts, codebook, config, model=None)` is the stage entry point (see `stage.py` for the output columns).
"""

from __future__ import annotations

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.suggest.estimator import CodeSuggester, Suggestion
from pipeline.suggest.persist import SuggestModel, load_model, save_model
from pipeline.suggest.prior import codebook_profiles
from pipeline.suggest.stage import COLUMNS, cold_start, run

__all__ = ["COLUMNS", "CodeSuggester", "SuggestModel", "Suggestion", "codebook_profiles", "cold_start",
           "load_configured_model", "load_model", "model_version", "run", "save_model"]


def load_configured_model(config: Config, codebook: Codebook) -> SuggestModel | None:
    """The model named by `[suggest] model` (checked against the codebook), or None for codebook-only suggestions."""
    if not config.suggest.model:
        return None
    return load_model(config.path(config.suggest.model), codebook)


def model_version(model: SuggestModel | None, codebook: Codebook | None = None) -> str:
    """The version recorded with suggestions: the model folder name, or `codebook-<hash>` at cold start."""
    if model is not None:
        return model.version
    return f"codebook-{codebook.version}" if codebook is not None else "codebook"
