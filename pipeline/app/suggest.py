"""Suggest codes for a project's current excerpts with the model in use (or a given one), and store them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.app.project import Project, recorded_run
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.sources import newest_source_run
from pipeline.store.suggestions import latest_suggestion_run, load_suggestions, save_suggestions
from pipeline.suggest import registry
from pipeline.suggest.persist import SuggestModel


@dataclass(frozen=True)
class SuggestResult:
    run_id: int
    suggestions: pd.DataFrame
    model_version: str
    notes: tuple[str, ...] = ()  # e.g. open coding, or a model trained for an earlier codebook


def model_for(project: Project, model_path: str | Path | None = None) -> SuggestModel | None:
    """The model a folder names (checked against the codebook), else the project's model in use."""
    if model_path is not None:
        return registry.load_model(model_path, project.codebook)
    return registry.in_use_model(project.store, project.config, project.codebook)


def suggest_project(project: Project, model: SuggestModel | None, excerpts: pd.DataFrame | None = None
                    ) -> SuggestResult:
    """Suggest for every current excerpt (or the given frame of them) and store the suggestions under a new run."""
    from pipeline.suggest.stage import run

    version = registry.model_version(model, project.codebook)
    with recorded_run(project, "suggest", project.config.suggest.lemma_backend) as run_id:
        frame = excerpts_frame(project.store) if excerpts is None else excerpts
        suggestions = run(frame, project.codebook, project.config.suggest, model)
        save_suggestions(project.store, run_id, suggestions, project.codebook.version)
    return SuggestResult(run_id, suggestions, version, suggest_notes(project, model))


def suggest_notes(project: Project, model: SuggestModel | None) -> tuple[str, ...]:
    """Why suggestions may differ from what the model learned: open coding, or a model trained for an earlier
    codebook (carried across the changes, or not used)."""
    from pipeline.app.project import OPEN_CODING

    opening = (OPEN_CODING,) if project.codebook.is_empty else ()
    return (*opening, *registry.model_notes(project.store, project.codebook, model))


def current_suggestions(project: Project, model: SuggestModel | None) -> pd.DataFrame:
    """Each current excerpt's stored suggestions from the latest run; a new suggest run is made first when there is
    none yet, when it came from another model, or when sources were ingested after it."""
    latest = latest_suggestion_run(project.store)
    version = registry.model_version(model, project.codebook)
    if latest is None or latest[1] != version or newest_source_run(project.store) > latest[0]:
        suggest_project(project, model)
    stored = load_suggestions(project.store)
    current = set(excerpts_frame(project.store)["excerpt_id"])
    return stored[stored["excerpt_id"].isin(current)].reset_index(drop=True)
