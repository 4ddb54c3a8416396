"""Codebook use cases: show the project's codebook with counts, and change it without losing a label.

Every change rewrites the project's `codebook.yaml`, records the new version and an append-only change row (with
the decision watermark), and never touches the decision log: rename and merge carry verified labels across, split
sends the affected excerpts back to review, retire keeps the code's history; adopting a candidate theme adds a code
and queues the theme's excerpts for review.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import yaml

from pipeline import codebook_edit
from pipeline.app.project import CODEBOOK_FILE, Project
from pipeline.codebook import Codebook, parse_codebook
from pipeline.decision_log import CodebookChange
from pipeline.errors import CodebookError
from pipeline.store import decisions
from pipeline.store.codebooks import record_change, record_codebook, request_review
from pipeline.store.suggestions import suggested_counts

OPERATIONS = ("add", "edit", "rename", "merge", "split", "retire", "adopt")


class CodeRow(NamedTuple):
    """A code of the project's codebook with its counts."""

    id: str
    theme: str
    name: str
    definition: str
    verified: int  # excerpts whose current verified labels hold the code
    suggested: int  # excerpts with a stored suggestion of the code


@dataclass(frozen=True)
class ChangeReport:
    """What a change did (or, with `dry_run`, would do)."""

    operation: str
    codes: tuple[str, ...]
    targets: tuple[str, ...]
    from_version: str
    to_version: str
    labels_moved: int  # verified excerpts whose labels read differently after the change
    sent_to_review: int  # excerpts sent back to review
    applied: bool


def codebook_rows(project: Project, labels: dict[int, frozenset[str]] | None = None) -> list[CodeRow]:
    """Each code of the project's codebook with how many excerpts are verified with it and suggested it (`labels`:
    the current labels when the caller has replayed the log already)."""
    current = decisions.current_labels(project.store) if labels is None else labels
    verified = Counter(c for codes in current.values() for c in codes)
    suggested = suggested_counts(project.store)
    return [CodeRow(c.id, c.theme, c.name, c.definition, verified[c.id], suggested.get(c.id, 0))
            for c in project.codebook.codes]


def change_codebook(project: Project, operation: str, codes: tuple[str, ...], *, reviewer: str,
                    targets: tuple[str, ...] = (), fields: dict[str, Any] | None = None, theme: str | None = None,
                    theme_name: str | None = None, parts: list[dict[str, Any]] | None = None,
                    requeue: list[int] | None = None, note: str = "", dry_run: bool = False) -> ChangeReport:
    """Apply one operation of OPERATIONS to the project's own codebook (see `_edited` for the arguments each
    takes); `requeue`: excerpts to send back to review besides those the operation sends (adopt)."""
    if not reviewer.strip():
        raise CodebookError("a codebook change needs a reviewer name", hint="pass --reviewer NAME")
    path = project.folder / CODEBOOK_FILE
    if not path.is_file() or project.codebook.path != str(path):
        raise CodebookError("changes apply to the project's own codebook.yaml", file=path,
                            hint="create one with `reduksi init PROJECT --codebook FILE`, without --codebook here")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edited = _edited(data, operation, codes, targets, fields or {}, theme, theme_name, parts or [])
    new = parse_codebook(edited, path=path, content=codebook_edit.dump(edited))
    state = decisions.label_state(project.store)
    touched = sorted(e for e, labels in state.labels.items() if set(labels) & set(codes))
    moving = operation in ("rename", "merge", "split", "retire")
    reviewed = ([*touched] if operation == "split" else []) + list(requeue or [])
    report = ChangeReport(operation, codes, _targets(operation, targets, parts or []), project.codebook.version,
                          new.version, len(touched) if moving else 0, len(set(reviewed)), applied=not dry_run)
    if not dry_run:
        _apply(project, new, report, reviewer, note, sorted(set(reviewed)))
    return report


def _edited(data: Any, operation: str, codes: tuple[str, ...], targets: tuple[str, ...], fields: dict[str, Any],
            theme: str | None, theme_name: str | None, parts: list[dict[str, Any]]) -> dict[str, Any]:
    if operation in ("add", "adopt"):
        return codebook_edit.add_code(data, theme or "", {"id": codes[0], **fields}, theme_name)
    if operation == "edit":
        return codebook_edit.edit_code(data, codes[0], fields)
    if operation == "rename":
        return codebook_edit.rename_code(data, codes[0], targets[0], fields.get("name"))
    if operation == "merge":
        return codebook_edit.merge_codes(data, list(codes), targets[0])
    if operation == "split":
        return codebook_edit.split_code(data, codes[0], parts)
    if operation == "retire":
        return codebook_edit.retire_code(data, codes[0], date.today().isoformat())
    raise CodebookError(f"unknown codebook operation '{operation}'", hint=f"use one of: {', '.join(OPERATIONS)}")


def _targets(operation: str, targets: tuple[str, ...], parts: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(str(p.get("id")) for p in parts) if operation == "split" else targets


def _apply(project: Project, new: Codebook, report: ChangeReport, reviewer: str, note: str,
           reviewed: list[int]) -> None:
    """Record the change and its review requests in one transaction, then put the new codebook.yaml in place."""
    path = project.folder / CODEBOOK_FILE
    staged = path.with_suffix(".yaml.tmp")
    staged.write_text(new.content, encoding="utf-8")
    with project.store.transaction():
        record_codebook(project.store, new)
        mark = decisions.watermark(project.store)
        change_id = record_change(project.store, CodebookChange(
            report.operation, report.codes, report.targets, mark, report.from_version, new.version, reviewer, note))
        request_review(project.store, reviewed, f"{report.operation} {', '.join(report.codes)}", mark, change_id)
    os.replace(staged, path)
    project.codebook = new


def candidate_themes(project: Project) -> list[dict[str, Any]]:
    """The latest clustering's candidate new themes (cluster_summary.csv in the project folder), to adopt as codes:
    cluster, size, label_terms, central_keys, informants, uncoded_share. Empty before any clustering."""
    import pandas as pd

    summary_file = project.folder / "cluster_summary.csv"
    if not summary_file.is_file():
        return []
    summary = pd.read_csv(summary_file, keep_default_na=False)
    flags = summary["candidate_new_theme"].astype(str).str.lower().isin(("true", "1"))
    chosen = summary[flags & (summary["cluster"] >= 0)]
    columns = ["cluster", "size", "label_terms", "central_keys", "informants", "uncoded_share"]
    return [dict(row) for row in chosen.reindex(columns=columns).to_dict("records")]


def adopt_theme(project: Project, cluster: int, code_id: str, name: str, theme: str, *, reviewer: str,
                theme_name: str | None = None, dry_run: bool = False) -> ChangeReport:
    """Adopt a candidate theme from the latest clustering (clusters.csv and cluster_summary.csv in the project
    folder) as a new code: its label terms draft the definition, its excerpts go back to review."""
    import pandas as pd

    summary_file, clusters_file = project.folder / "cluster_summary.csv", project.folder / "clusters.csv"
    if not (summary_file.is_file() and clusters_file.is_file()):
        raise CodebookError("no clustering in this project yet", file=project.folder,
                            hint="run `reduksi cluster PROJECT` first")
    summary = pd.read_csv(summary_file, keep_default_na=False)
    row = summary[summary["cluster"] == cluster]
    if cluster < 0 or row.empty:
        raise CodebookError(f"no cluster {cluster}", file=summary_file,
                            hint=f"clusters: {', '.join(map(str, summary.loc[summary['cluster'] >= 0, 'cluster']))}")
    terms = str(row["label_terms"].iloc[0])
    members = pd.read_csv(clusters_file)
    excerpts = [int(e) for e in members.loc[members["cluster"] == cluster, "excerpt_id"]]
    fields = {"name": name, "definition": f"Tema dari klaster {cluster} (kata label: {terms}); rumuskan ulang.",
              "include": terms}
    return change_codebook(project, "adopt", (code_id,), reviewer=reviewer, fields=fields, theme=theme,
                           theme_name=theme_name, requeue=excerpts, note=f"cluster {cluster}", dry_run=dry_run)
