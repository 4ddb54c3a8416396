"""The project's model versions as `reduksi models` lists them (light: no scikit-learn import)."""

from __future__ import annotations

from pathlib import Path

from pipeline.app.project import Project
from pipeline.suggest.registry import ModelRow, in_use_label, list_models


def model_versions(project: Project, models_dir: str | Path | None = None) -> list[ModelRow]:
    """Every model folder in `models_dir` (default: PROJECT/models) or known to the project, with its figures."""
    return list_models(project.store, models_dir if models_dir is not None else project.folder / "models")


def model_in_use(project: Project) -> str:
    """The model in use and where it comes from (promoted, configured, shipped, or none), without loading it."""
    return in_use_label(project.store, project.config, project.codebook)
