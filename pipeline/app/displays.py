"""Displays for a screen: the matrices of a project and the evidence behind any one cell (drill-down)."""

from __future__ import annotations

import pandas as pd

from pipeline import display
from pipeline.app.cache import cached
from pipeline.app.export import build_displays, load_project
from pipeline.app.project import Project
from pipeline.errors import ExportError

CELL_FIELDS = ("informant", "role", "method", "site", "case", "round")


def project_displays(project: Project) -> display.Displays:
    """Every display of the project as it stands (verified labels, open suggestions, verdicts); computed once per
    state of the project (see `cache.py`)."""
    return cached(project, "displays", lambda: build_displays(load_project(project), project.config))


def cell_evidence(project: Project, code: str, field: str, value: str, *, status: str | None = None,
                  displays: display.Displays | None = None) -> pd.DataFrame:
    """The evidence rows behind one matrix cell (code × informant / role / method / site / case), strongest first;
    `status` 'verified' or 'suggested' narrows to one part of the cell."""
    if field not in CELL_FIELDS:
        raise ExportError(f"unknown matrix field '{field}'", hint=f"use one of: {', '.join(CELL_FIELDS)}")
    if status not in (None, *display.STATUSES):
        raise ExportError(f"unknown status '{status}'", hint=f"use one of: {', '.join(display.STATUSES)}")
    evidence = (displays or project_displays(project)).evidence
    rows = evidence[(evidence["code"] == code) & (evidence[field].astype(str) == value)]
    if status is not None:
        rows = rows[rows["status"] == status]
    return rows.sort_values(["status", "probability"], ascending=[False, False], na_position="last") \
        .reset_index(drop=True)


def cluster_map(project: Project) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The latest clustering as points (excerpt_id, key, cluster, x, y, status, text) and its summary (label terms,
    size, candidate new theme), or None before `reduksi cluster`."""
    from pipeline.app.export import read_clusters
    from pipeline.store.excerpts import excerpts_frame

    excerpts = excerpts_frame(project.store)
    found = read_clusters(project.folder, excerpts)
    if found is None:
        return None
    points, summary = found
    texts = excerpts.set_index("key")["text"]
    return points.assign(text=[str(texts.get(k, ""))[:200] for k in points["key"]]), summary
