"""Memos: Markdown notes on the project, a source, a code or an excerpt; listed together and searchable.

A memo on the project, a source or a code is a row of `memos` (append-only: an edited memo is a new row); a memo on
an excerpt is a `note` decision in the review log (as the terminal review's `n` writes it), so it travels with the
excerpt's other decisions. Every export that holds notes carries both (QDPX: `<Note>`s).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.app.project import Project
from pipeline.errors import ReviewError
from pipeline.store import decisions
from pipeline.store import workspace as repo
from pipeline.store.decisions import Decision
from pipeline.store.memos import Memo, add_memos, list_memos

KINDS = ("project", "source", "code", "excerpt")


@dataclass(frozen=True)
class MemoRow:
    kind: str  # one of KINDS
    target: str  # source name, code id, excerpt key; "" for the project
    title: str
    text: str  # Markdown
    author: str
    created_at: str


def add_memo(project: Project, kind: str, target: str, text: str, *, author: str, title: str = "") -> MemoRow:
    """Record a memo (one transaction). `target`: a source name, a code id, an excerpt's key or id; ignored for the
    project."""
    if kind not in KINDS:
        raise ReviewError(f"unknown memo target '{kind}'", hint=f"use one of: {', '.join(KINDS)}")
    if not author.strip():
        raise ReviewError("a memo needs an author", hint="pick a name first")
    if not text.strip():
        raise ReviewError("an empty memo was not recorded")
    target = "" if kind == "project" else target.strip()
    if kind == "excerpt":
        return _excerpt_note(project, target, text.strip(), author)
    if kind == "code":
        project.codebook.code(target)
    if kind == "source" and target not in {s["name"] for s in repo.source_overview(project.store)}:
        raise ReviewError(f"no source named '{target}'")
    memo = Memo(kind, target, title.strip(), text.strip(), author.strip(), origin="web")
    with project.store.transaction():
        add_memos(project.store, [memo])
    return MemoRow(kind, target, memo.title, memo.text, memo.author, "")


def _excerpt_note(project: Project, target: str, text: str, author: str) -> MemoRow:
    excerpt_id = int(target) if target.isdigit() else repo.excerpt_id_for_key(project.store, target)
    row = repo.excerpt_row(project.store, excerpt_id) if excerpt_id is not None else None
    if row is None:
        raise ReviewError(f"no excerpt '{target}'", hint="give the excerpt's key (e.g. W-G03:004) or its id")
    with project.store.transaction():
        decisions.append(project.store, [Decision(int(row["excerpt_id"]), author.strip(), "note", note=text)])
    return MemoRow("excerpt", str(row["key"]), "", text, author.strip(), "")


def memos(project: Project, query: str = "", kind: str = "") -> list[MemoRow]:
    """Every memo, oldest first; `query` keeps those whose text, title, target or author holds it (any case),
    `kind` those on one kind of target."""
    stored = [MemoRow(m.target_kind, m.target, m.title, m.text, m.author, m.created_at or "")
              for m in list_memos(project.store)]
    keys: dict[int, str] = {}
    notes = [d for d in decisions.history(project.store) if d.action == "note" and d.note]
    for d in notes:
        if d.excerpt_id not in keys:
            row = repo.excerpt_row(project.store, d.excerpt_id)
            keys[d.excerpt_id] = str(row["key"]) if row else str(d.excerpt_id)
    found = stored + [MemoRow("excerpt", keys[d.excerpt_id], "", d.note or "", d.reviewer, d.created_at or "")
                      for d in notes]
    found.sort(key=lambda m: m.created_at)
    wanted = query.strip().casefold()
    return [m for m in found if (not kind or m.kind == kind)
            and (not wanted or wanted in " ".join((m.text, m.title, m.target, m.author)).casefold())]
