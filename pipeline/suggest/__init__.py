"""Code suggester: a calibrated multi-label classifier over excerpts, with codebook cold start and reasons.

`run(excerpts, codebook, config, model=None)` is the stage entry point (see `stage.py` for the output columns).
Names load lazily, so that importing `pipeline.suggest.registry` (model versions, the model in use) does not pull
in scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "COLUMNS": "pipeline.suggest.stage", "cold_start": "pipeline.suggest.stage", "run": "pipeline.suggest.stage",
    "CodeSuggester": "pipeline.suggest.estimator", "Suggestion": "pipeline.suggest.estimator",
    "codebook_profiles": "pipeline.suggest.prior",
    "SuggestModel": "pipeline.suggest.persist", "load_model": "pipeline.suggest.persist",
    "save_model": "pipeline.suggest.persist",
    "configured_model": "pipeline.suggest.registry", "model_version": "pipeline.suggest.registry",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline.suggest' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
