"""Notes of an imported QDPX as decisions and verdicts (see `qdpx_import` for the rules, `qdpx_notes` for the
notes reduksi writes)."""

from __future__ import annotations

from collections import Counter

from pipeline.decision_log import Decision
from pipeline.export.qdpx_import import ImportedMemo, ImportReport, Placer, ProjectView, Verdict, code_lookup, fold
from pipeline.export.qdpx_notes import verdict_note
from pipeline.export.qdpx_read import QdaNote, QdaProject
from pipeline.export.refi import utc

_ELSEWHERE = "attached to a coding (reduksi keeps notes on excerpts, codes, sources and the project)"


def place_notes(project: QdaProject, placer: Placer, view: ProjectView, codes: dict[str, str],
                reviewer: str | None, report: ImportReport, wanted: dict[tuple[int, str], set[str]],
                times: dict[tuple[int, str], str], unknown: Counter[str]
                ) -> tuple[list[Decision], list[Verdict], list[ImportedMemo]]:
    """Decisions (reject, note), verdicts and memos from the notes; "no code" notes join `wanted` as empty label
    sets."""
    decisions: list[Decision] = []
    verdicts: list[Verdict] = []
    memos: list[ImportedMemo] = []
    skipped: Counter[str] = Counter()
    for note in project.notes:
        report.notes += 1
        kind = note.description.splitlines()[0].split() if note.description.startswith("reduksi:") else []
        if kind and kind[0] == "reduksi:triangulation":
            verdict = _verdict(note, kind, codes, project, reviewer, view)
            if verdict is None:
                skipped["a triangulation verdict for a code not in the codebook"] += 1
            elif view.verdicts.get(verdict.code) != (verdict.status, verdict.note):
                verdicts.append(verdict)
            report.notes_placed += verdict is not None
            continue
        selections = [g for k, g in note.targets if k == "selection" and g in placer.selections]
        if not selections and any(k in ("code", "source", "project") for k, _ in note.targets):
            found = _memos(note, codes, placer, project, reviewer, untitled=kind == ["reduksi:memo", "untitled"])
            memos += [m for m in found if (m.target_kind, m.target, m.title, m.text) not in view.memos]
            report.notes_placed += bool(found)
            skipped["on a code or source not in the project"] += not found
            continue
        if not selections:
            skipped[_ELSEWHERE if note.targets else "attached to nothing"] += 1
            continue
        placed = _on_selections(note, kind, selections, placer, view, reviewer, project, unknown)
        if placed is None:
            skipped["outside any excerpt, or naming codes not in the codebook"] += 1
            continue
        report.notes_placed += 1
        for decision in placed:
            if decision.action == "set":
                key = (decision.excerpt_id, decision.reviewer)
                wanted.setdefault(key, set())
                times[key] = max(times.get(key, ""), decision.created_at or "")
            elif (decision.excerpt_id, decision.reviewer, decision.action, decision.codes,
                  decision.note) not in view.logged:
                decisions.append(decision)
    report.notes_skipped = {reason: n for reason, n in skipped.items() if n}
    return decisions, verdicts, memos


def _memos(note: QdaNote, codes: dict[str, str], placer: Placer, project: QdaProject, reviewer: str | None,
           untitled: bool) -> list[ImportedMemo]:
    """A memo per code, source or project the note is attached to (those not in the project are left out)."""
    author = reviewer or project.users.get(note.user or "", "") or "qdpx"
    found = []
    for kind, target in note.targets:
        name = {"code": codes.get(target), "source": placer.targets.get(target, ("",))[0] or None,
                "project": ""}.get(kind)
        if name is not None:
            found.append(ImportedMemo(kind, name, "" if untitled else note.name, note.text, author,
                                      utc(note.created)))
    return found


def _on_selections(note: QdaNote, kind: list[str], selections: list[str], placer: Placer, view: ProjectView,
                   reviewer: str | None, project: QdaProject, unknown: Counter[str]) -> list[Decision] | None:
    """The decisions one note makes on the excerpts its selections fall on; None when it lands nowhere."""
    action = {"reduksi:reject": "reject", "reduksi:none": "set"}.get(kind[0] if kind else "", "note")
    codes: tuple[str, ...] = ()
    if action == "reject":
        lookup = code_lookup(view.codebook)
        missing = [name for name in kind[1:] if fold(name) not in lookup]
        for name in missing:
            unknown[name] += 1
        if missing:
            return None
        codes = tuple(lookup[fold(name)] for name in kind[1:])
    text = note.text if kind else "\n".join(part for part in (note.name, note.text) if part)
    found = []
    for selection in selections:
        source, start, end, selection_user = placer.selections[selection]
        coder = reviewer or project.users.get(note.user or selection_user or "", "") or "qdpx"
        for excerpt_id in placer.hits(source, start, end):
            found.append(Decision(excerpt_id=excerpt_id, reviewer=coder, action=action, codes=codes,
                                  note=text or None, origin="qdpx", created_at=utc(note.created)))
    return found or None


def _verdict(note: QdaNote, kind: list[str], codes: dict[str, str], project: QdaProject, reviewer: str | None,
             view: ProjectView) -> Verdict | None:
    targets = [codes[g] for k, g in note.targets if k == "code" and g in codes]
    code = targets[0] if targets else code_lookup(view.codebook).get(fold(kind[1]) if len(kind) > 1 else "")
    if code is None or len(kind) < 3:
        return None
    user = reviewer or project.users.get(note.user or "", "") or "qdpx"
    return Verdict(code, kind[2], user, verdict_note(note.text), utc(note.created))
