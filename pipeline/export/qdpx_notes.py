"""What a QDPX carries besides codings, as `<Note>`s: rejections, review notes, "verified with no code", and
triangulation verdicts; and the descriptions of machine suggestions. Plain data in, `NoteSpec`s out.

Each note's `<Description>` begins with one line reduksi reads back on import (`NOTE_KINDS`); its content is the
reviewer's own words, unchanged (empty when there were none), its name says what it is for a person.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.decision_log import LABEL_ACTIONS, Decision, cancelled_ids
from pipeline.export.labels import LANGS, words
from pipeline.export.qdpx import NoteSpec
from pipeline.export.refi import guid, utc

VERDICT_LABELS = tuple(f"{words(lang)['triangulation_status']}:" for lang in LANGS)
NOTE_KINDS = ("reduksi:reject", "reduksi:note", "reduksi:none", "reduksi:triangulation", "reduksi:memo")


def review_notes(log: Sequence[Decision], none_verified: dict[str, set[int]], keys: dict[int, str]
                 ) -> list[NoteSpec]:
    """A note per effective rejection and review note (on the reviewer's selection of the excerpt), and one per
    excerpt a reviewer verified as having no code."""
    cancelled = cancelled_ids(log)
    notes = []
    for d in log:
        if d.id in cancelled or d.action not in ("reject", "note") or d.excerpt_id not in keys:
            continue
        key = keys[d.excerpt_id]
        if d.action == "reject":
            name, kind = f"Ditolak ({key}): {', '.join(d.codes)}", " ".join(("reduksi:reject", *d.codes))
        else:
            name, kind = f"Catatan ({key})", "reduksi:note"
        identity = guid("note", d.reviewer, key, d.action, utc(d.created_at), *d.codes, d.note or "")
        notes.append(NoteSpec(identity, name, kind, d.note or "", d.reviewer, d.created_at,
                              ("selection", d.excerpt_id, d.reviewer)))
    last = {(d.reviewer, d.excerpt_id): d.created_at for d in log
            if d.id not in cancelled and d.action in LABEL_ACTIONS}  # dated as the decision that emptied it
    for reviewer, excerpt_ids in sorted(none_verified.items()):
        for excerpt_id in sorted(e for e in excerpt_ids if e in keys):
            key = keys[excerpt_id]
            notes.append(NoteSpec(guid("note", reviewer, key, "none"), f"Tanpa kode ({key})", "reduksi:none", "",
                                  reviewer, last.get((reviewer, excerpt_id)), ("selection", excerpt_id, reviewer)))
    return notes


def triangulation_notes(status: pd.DataFrame, w: dict[str, str]) -> list[NoteSpec]:
    """A note per judged code (its latest verdict), referenced from the code; its content reads
    "Status triangulasi: terkonfirmasi — the researcher's note" (`verdict_note` takes the note back)."""
    label = w["triangulation_status"]
    notes = []
    for row in status.itertuples(index=False):
        line = f"{label}: {w.get(row.status, row.status)}" + (f" — {row.note}" if row.note else "")
        notes.append(NoteSpec(guid("note", "triangulation", row.code), f"Triangulasi {row.code}",
                              f"reduksi:triangulation {row.code} {row.status}", line, str(row.reviewer),
                              str(row.updated_at), ("code", row.code)))
    return notes


def verdict_note(content: str) -> str:
    """The researcher's own note inside a verdict note's content written by `triangulation_notes`."""
    if content.startswith(VERDICT_LABELS):
        return content.split(" — ", 1)[1] if " — " in content else ""
    return content


def suggestion_descriptions(suggestions: pd.DataFrame) -> dict[tuple[int, str], str]:
    """(excerpt id, model version) -> "KP-KELAS p=0.83 (alasan: kelompok, duduk)" lines, one per code."""
    found: dict[tuple[int, str], list[str]] = {}
    ordered = suggestions.sort_values(["excerpt_id", "probability"], ascending=[True, False], kind="stable")
    for row in ordered.itertuples(index=False):
        reasons = [str(r) for r in row.reasons] if isinstance(row.reasons, (list, tuple)) else []
        line = f"{row.code} p={float(row.probability):.2f}" + (f" (alasan: {', '.join(reasons)})" if reasons else "")
        found.setdefault((int(row.excerpt_id), str(row.model_version)), []).append(line)
    return {pair: "\n".join(lines) for pair, lines in found.items()}


def memo_notes(memos: Sequence[tuple[str, str, str, str, str, str]]) -> list[NoteSpec]:
    """A note per memo (target kind, target, title, text, author, created at) on the code, source or project."""
    notes = []
    for kind, target, title, text, author, created in memos:
        identity = guid("note", "memo", kind, target, utc(created), title, text)
        where: tuple[str, ...] = ("project",) if kind == "project" else (kind, target)
        kind_line = "reduksi:memo" if title else "reduksi:memo untitled"  # a default name, not the memo's title
        notes.append(NoteSpec(identity, title or f"Memo {target}".strip(), kind_line, text, author, created, where))
    return notes
