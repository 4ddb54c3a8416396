"""Triangulation use cases: record a code's verdict, and the triangulation table with the verdicts."""

from __future__ import annotations

import pandas as pd

from pipeline.app.project import Project
from pipeline.errors import ExportError
from pipeline.store.triangulation import set_status


def record_verdict(project: Project, code: str, status: str | None, reviewer: str | None, note: str = "") -> int:
    """Append a verdict for a code of the codebook; returns its id (verdicts are kept as history)."""
    if status is None or reviewer is None or not reviewer.strip():
        raise ExportError("a verdict needs --status and --reviewer", key=code)
    with project.store.transaction():
        return set_status(project.store, code, status, reviewer, note, known_codes=project.codebook.ids)


def triangulation_table(project: Project) -> pd.DataFrame:
    """Per code: the sources, roles and methods that support it, flags, and the latest verdict."""
    from pipeline.app.export import build_displays, load_project

    return build_displays(load_project(project), project.config).triangulation
