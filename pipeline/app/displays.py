"""Displays for a screen: the matrices of a project and the evidence behind any one cell (drill-down)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline import display
from pipeline.app.cache import cached
from pipeline.app.export import ProjectData, build_displays, load_project
from pipeline.app.project import Project
from pipeline.errors import ExportError

CELL_FIELDS = ("informant", "role", "method", "site", "case", "round")
MATRIX_FIELDS = ("informant", "role", "method", "site", "round")


def project_displays(project: Project) -> display.Displays:
    """Every display of the project as it stands (verified labels, open suggestions, verdicts); computed once per
    state of the project (see `cache.py`)."""
    return cached(project, "displays", lambda: build_displays(load_project(project), project.config))


@dataclass(frozen=True)
class Evidence:
    """What a matrix or a cell needs: the evidence rows, the cases and the codes in display order."""

    rows: pd.DataFrame
    cases: pd.DataFrame
    codes: tuple[str, ...]
    data: ProjectData  # what they were built from (the log, the labels, the verdicts)


def project_evidence(project: Project) -> Evidence:
    """The evidence frame alone (a matrix page needs no framework matrix or triangulation), once per state."""
    def compute() -> Evidence:
        data = load_project(project)
        found = display.evidence(data.excerpts, data.suggestions, data.verified)
        return Evidence(found, display.cases_frame(data.excerpts), tuple(display.code_order(found, data.codebook.ids)),
                        data)

    return cached(project, "evidence", compute)


def matrix(project: Project, field: str) -> pd.DataFrame:
    """Code × informant (case), role, method, site or round, once per state."""
    if field not in MATRIX_FIELDS:
        raise ExportError(f"unknown matrix field '{field}'", hint=f"use one of: {', '.join(MATRIX_FIELDS)}")
    found = project_evidence(project)
    column = "case" if field == "informant" else field
    return cached(project, "matrix", lambda: display.matrix_by(found.rows, found.cases, found.codes, column), field)


def cell_evidence(project: Project, code: str, field: str, value: str, *, status: str | None = None,
                  displays: display.Displays | None = None) -> pd.DataFrame:
    """The evidence rows behind one matrix cell (code × informant / role / method / site / case), strongest first;
    `status` 'verified' or 'suggested' narrows to one part of the cell."""
    if field not in CELL_FIELDS:
        raise ExportError(f"unknown matrix field '{field}'", hint=f"use one of: {', '.join(CELL_FIELDS)}")
    if status not in (None, *display.STATUSES):
        raise ExportError(f"unknown status '{status}'", hint=f"use one of: {', '.join(display.STATUSES)}")
    evidence = displays.evidence if displays is not None else project_evidence(project).rows
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
