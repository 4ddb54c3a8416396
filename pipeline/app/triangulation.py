"""Triangulation use cases: record a code's verdict, and the triangulation table with the verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.app.project import Project
from pipeline.errors import ExportError
from pipeline.store.triangulation import STATUSES, set_status, status_history

VERDICTS = STATUSES  # belum_diperiksa, terkonfirmasi, perlu_data_tambahan, ditolak


def record_verdict(project: Project, code: str, status: str | None, reviewer: str | None, note: str = "") -> int:
    """Append a verdict for a code of the codebook; returns its id (verdicts are kept as history)."""
    if status is None or reviewer is None or not reviewer.strip():
        raise ExportError("a verdict needs --status and --reviewer", key=code)
    with project.store.transaction():
        return set_status(project.store, code, status, reviewer, note, known_codes=project.codebook.ids)


def triangulation_table(project: Project) -> pd.DataFrame:
    """Per code: the sources, roles and methods that support it, flags, and the latest verdict (from the evidence
    alone, once per state: the page needs no other display)."""
    from pipeline import display
    from pipeline.app.cache import cached
    from pipeline.app.displays import project_evidence

    found = project_evidence(project)
    return cached(project, "triangulation",
                  lambda: display.triangulation(found.rows, found.codes, found.data.status))


@dataclass(frozen=True)
class CodeDossier:
    """What each source and method says about one code, for judging it."""

    code: str
    name: str
    definition: str
    by_method: dict[str, pd.DataFrame]  # method -> its evidence rows (verified first, strongest first)
    by_role: dict[str, pd.DataFrame]  # role -> its evidence rows
    counter: pd.DataFrame  # excerpts a reviewer said do not hold the code (rejected suggestions): key, text, reviewer
    verdicts: pd.DataFrame  # the verdict history, newest last
    row: dict[str, object]  # the code's row of the triangulation table


def code_dossier(project: Project, code: str) -> CodeDossier:
    """A code's evidence side by side by method and by role, the excerpts reviewers judged against it, and its
    verdicts: the page a researcher reads before confirming, asking for more data, or rejecting it."""
    from pipeline.app.cache import cached

    return cached(project, "dossier", lambda: _dossier(project, code), code)


def _dossier(project: Project, code: str) -> CodeDossier:
    from pipeline.app.displays import project_evidence

    found = project.codebook.code(code) if code in project.codebook.ids else None
    if found is None:
        raise ExportError(f"unknown code '{code}'", hint="see `reduksi codebook show PROJECT`")
    evidence = project_evidence(project)
    data = evidence.data
    rows = evidence.rows[evidence.rows["code"] == code].sort_values(
        ["status", "probability"], ascending=[False, False], na_position="last")
    table = triangulation_table(project)
    row = table[table["code"] == code].iloc[0].to_dict() if (table["code"] == code).any() else {}
    return CodeDossier(code, found.name, found.definition,
                       by_method={str(m): g.reset_index(drop=True) for m, g in rows.groupby("method", sort=True)},
                       by_role={str(r): g.reset_index(drop=True) for r, g in rows.groupby("role", sort=True)},
                       counter=_counter_evidence(data, code), verdicts=status_history(project.store, code), row=row)


def _counter_evidence(data: Any, code: str) -> pd.DataFrame:
    """Excerpts whose current label lacks `code` although a reviewer explicitly rejected or removed it."""
    judged = {(d.excerpt_id, d.reviewer) for d in data.log if d.action in ("reject", "remove") and code in d.codes}
    against = sorted({(e, r) for e, r in judged if code not in data.verified.get(e, frozenset())})
    text = data.excerpts.set_index("excerpt_id")
    rows = [(text.loc[e, "key"], text.loc[e, "text"], r) for e, r in against if e in text.index]
    return pd.DataFrame(rows, columns=["key", "text", "reviewer"])
