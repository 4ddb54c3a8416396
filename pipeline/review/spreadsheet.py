"""Spreadsheet review round trip: export a sheet to fill in Excel/LibreOffice, import it back as decisions.

Sheet `review`: one row per excerpt — its key, informant, question, text, the suggestions with probabilities (and,
in brackets after `tanya:`, the question words that moved a score — not the informant's words), a
`decision` column (drop-down), one column per code (mark `x`), a note — and, hidden, what the row was exported
against (text hash, suggestion run, model version). Sheet `codes` lists the codebook; sheet `info` the export.

Decisions in the sheet, and what marks they allow:
    accept  take the suggested codes            marks: none, or exactly the suggested codes
    reject  the suggested codes are wrong       marks: none
    change  the codes are the marked ones       marks: at least one
    add     the suggested codes plus the marks  marks: at least one code that was not suggested
    note    only a note                         marks: none; the note column must not be empty
    tidak relevan (or irrelevant)  the excerpt is not relevant: verified with no code, left out of clustering
                                                marks: none
    (empty) not reviewed: the row is ignored    marks and note must be empty
Import checks every row first; if any row is wrong it reports all problems by row and applies nothing. Otherwise all
decisions land in one transaction (a process killed half-way leaves the log as it was).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.decision_log import Decision, outcome_steps
from pipeline.errors import ReviewError
from pipeline.export.safety import workbook_cell
from pipeline.suggest.explain import QUESTION_LABEL

SHEET, CODES_SHEET, INFO_SHEET = "review", "codes", "info"
LEAD = ["excerpt_id", "key", "informant", "role", "method", "question", "text", "suggested", "current", "decision"]
TAIL = ["note", "text_sha", "suggestion_run", "model_version"]
HIDDEN = ("text_sha", "suggestion_run", "model_version")
DECISIONS = ("accept", "reject", "change", "add", "note", "tidak relevan")
OUTCOMES = {**{d: d for d in DECISIONS[:-1]}, "tidak relevan": "irrelevant", "irrelevant": "irrelevant"}
MARKS = {"x", "1", "✓", "v", "ya", "yes", "true"}


class SheetRejected(ReviewError):
    """A sheet with problems: every problem is listed by row and nothing was applied."""

    code = "E510"

    def __init__(self, file: Path, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s); nothing was applied:\n{listed}", file=file)


@dataclass(frozen=True)
class ImportReport:
    rows: int  # rows read
    decided: int  # rows with a decision
    decisions: int  # decisions appended (an `add` row is accept + add; a note on a row adds a note)
    reviewer: str


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- export ---------------------------------------------------------------------------------------------------

def export_sheet(path: str | Path, excerpts: pd.DataFrame, suggestions: pd.DataFrame, codebook: Codebook, *,
                 reviewer: str, labels: dict[int, frozenset[str]], project: str = "") -> Path:
    """Write the review workbook for `excerpts` (in the given order)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    header = [*LEAD, *codebook.ids, *TAIL]
    sheet.append(header)
    for row in _rows(excerpts, suggestions, codebook, labels):
        sheet.append(row)
    n = sheet.max_row
    column = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(header, start=1)}
    choice = DataValidation(type="list", formula1=f'"{",".join(DECISIONS)}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="decision", error=f"Use one of: {', '.join(DECISIONS)}")
    mark = DataValidation(type="list", formula1='"x"', allow_blank=True)
    sheet.add_data_validation(choice)
    sheet.add_data_validation(mark)
    if n > 1:
        choice.add(f"{column['decision']}2:{column['decision']}{n}")
        mark.add(f"{column[codebook.ids[0]]}2:{column[codebook.ids[-1]]}{n}")
    widths = {"text": 70, "question": 40, "suggested": 36, "current": 24, "note": 30, "key": 18}
    for name, letter in column.items():
        sheet.column_dimensions[letter].width = widths.get(name, 6 if name in codebook.ids else 12)
        sheet.column_dimensions[letter].hidden = name in HIDDEN
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name in ("text", "question", "suggested"):
        for cell in sheet[column[name]][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    _codes_sheet(book.create_sheet(CODES_SHEET), codebook)
    info = book.create_sheet(INFO_SHEET)
    for item in (("project", project), ("reviewer", reviewer), ("codebook_version", codebook.version),
                 ("exported_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
                 ("decisions", ", ".join(DECISIONS)), ("marks", "x in a code column")):
        info.append(list(item))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _rows(excerpts: pd.DataFrame, suggestions: pd.DataFrame, codebook: Codebook,
          labels: dict[int, frozenset[str]]) -> list[list[Any]]:
    grouped = {int(k): g.sort_values("rank") for k, g in suggestions.groupby("excerpt_id")}
    rows = []
    for e in excerpts.to_dict("records"):
        excerpt_id = int(e["excerpt_id"])
        found = grouped.get(excerpt_id)
        suggested = "" if found is None else _suggested_cell(found)
        current = labels.get(excerpt_id)
        rows.append([excerpt_id, _cell(e["key"]), _cell(e.get("informant")), _cell(e.get("role")),
                     _cell(e.get("method")), _cell(e.get("context")), _cell(e["text"]), suggested,
                     "" if current is None else ("; ".join(sorted(current)) or "(no code)"), None,
                     *([None] * len(codebook.ids)), None, text_hash(str(e["text"])),
                     None if found is None else int(found["run_id"].iloc[0]),
                     None if found is None else str(found["model_version"].iloc[0])])
    return rows


def _suggested_cell(found: pd.DataFrame) -> str:
    """`CODE 0.82 (tanya: kerja, guru); CODE 0.41`: each code, its probability and, apart, the interviewer's
    question words that moved its score (never the informant's words; `_suggested` reads the codes back)."""
    asked = found["context_reasons"] if "context_reasons" in found.columns else [None] * len(found)
    parts = []
    for code, probability, words in zip(found["code"], found["probability"], asked):
        terms = ", ".join(map(str, words)) if isinstance(words, (list, tuple)) and len(words) else ""
        parts.append(f"{code} {probability:.2f}" + (f" ({QUESTION_LABEL}{terms})" if terms else ""))
    return "; ".join(parts)


def _cell(value: Any) -> Any:
    """Empty for missing values; text through the formula guard (a transcript line may start with `=`)."""
    return None if value is None or (isinstance(value, float) and value != value) else workbook_cell(value)


def _codes_sheet(sheet: Any, codebook: Codebook) -> None:
    sheet.append(["number", "code", "theme", "name", "definition"])
    for i, code in enumerate(codebook.codes, start=1):
        sheet.append([i, code.id, code.theme, _cell(code.name), _cell(code.definition)])


# ---- import ---------------------------------------------------------------------------------------------------

def read_sheet(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]], dict[str, str]]:
    """(header, [(sheet row number, {column: value})], info) of a review workbook."""
    import openpyxl

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ReviewError("sheet not found", file=path) from None
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ReviewError(f"not a readable .xlsx workbook: {exc}", file=path) from None
    if SHEET not in book.sheetnames:
        raise ReviewError(f"no '{SHEET}' sheet", file=path, hint="import a sheet made by `reduksi review export`")
    rows = list(book[SHEET].iter_rows(values_only=True))
    info = {str(r[0]): str(r[1]) for r in book[INFO_SHEET].iter_rows(values_only=True)
            if r and r[0] is not None and len(r) > 1 and r[1] is not None} if INFO_SHEET in book.sheetnames else {}
    book.close()
    if not rows:
        raise ReviewError("the review sheet is empty", file=path)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    records = [(number, dict(zip(header, values))) for number, values in enumerate(rows[1:], start=2)
               if any(v not in (None, "") for v in values)]
    return header, records, info


def plan_import(current: pd.DataFrame, codebook: Codebook, path: str | Path, reviewer: str | None = None
                ) -> tuple[list[Decision], int, str]:
    """Check every row against the current excerpts (`current`: the excerpt frame indexed by excerpt_id); return
    (decisions to append, rows read, reviewer) or raise SheetRejected listing all problems. Writes nothing."""
    path = Path(path)
    header, records, info = read_sheet(path)
    reviewer = (reviewer or info.get("reviewer") or "").strip()
    problems = _header_problems(header, codebook)
    if not reviewer:
        problems.append("no reviewer: pass --reviewer NAME (the sheet's info has none)")
    code_columns = [h for h in header[len(LEAD):] if h and h not in TAIL]
    planned: list[Decision] = []
    seen: dict[int, int] = {}
    for number, record in records:
        found, row_problems = _plan_row(record, code_columns, codebook, current, reviewer)
        excerpt_id = _as_int(record.get("excerpt_id"))
        if excerpt_id is not None and excerpt_id in seen:
            row_problems.append(f"excerpt {excerpt_id} is also on row {seen[excerpt_id]}")
        if excerpt_id is not None:
            seen.setdefault(excerpt_id, number)
        problems += [f"row {number}: {p}" for p in row_problems]
        planned += found
    if problems:
        raise SheetRejected(path, problems)
    return planned, len(records), reviewer


def _header_problems(header: list[str], codebook: Codebook) -> list[str]:
    problems = []
    if header[:len(LEAD)] != LEAD:
        problems.append(f"row 1: the first columns must be {', '.join(LEAD)} (the sheet was restructured)")
    for column in header[len(LEAD):]:
        if column and column not in TAIL and column not in codebook.ids:
            problems.append(f"row 1: unknown code column '{column}' (codebook {codebook.version} has "
                            f"{', '.join(codebook.ids)})")
    missing = [t for t in TAIL if t not in header]
    if missing:
        problems.append(f"row 1: missing column(s) {', '.join(missing)}")
    return problems


def _plan_row(record: dict[str, Any], code_columns: list[str], codebook: Codebook, current: pd.DataFrame,
              reviewer: str) -> tuple[list[Decision], list[str]]:
    problems: list[str] = []
    decision = str(record.get("decision") or "").strip().lower()
    marks, unclear = _marks(record, code_columns)
    problems += [f"unclear mark '{value}' in column {code} (use x, or leave it empty)" for code, value in unclear]
    note = str(record.get("note") or "").strip()
    excerpt_id = _as_int(record.get("excerpt_id"))
    if excerpt_id is None:
        return [], [*problems, f"no excerpt id (got {record.get('excerpt_id')!r})"]
    if not decision:
        if marks or note:
            problems.append("codes marked or a note written, but no decision (choose one of "
                            f"{', '.join(DECISIONS)})")
        return [], problems
    if decision not in OUTCOMES:
        return [], [*problems, f"unknown decision '{decision}' (use one of {', '.join(DECISIONS)})"]
    decision = OUTCOMES[decision]
    problems += _excerpt_problems(excerpt_id, record, current)
    suggested = _suggested(record.get("suggested"))
    unknown = sorted(suggested - set(codebook.ids))
    if unknown:
        problems.append(f"unknown code(s) {', '.join(unknown)} in the suggested column")
    problems += _contradictions(decision, marks, suggested, note)
    if problems:
        return [], problems
    run_id = _as_int(record.get("suggestion_run"))
    version = record.get("model_version") or None
    steps = outcome_steps(decision, frozenset(suggested), frozenset(marks))
    if note and decision != "note":
        steps.append(("note", frozenset()))
    return [Decision(excerpt_id, reviewer, action, tuple(sorted(codes)), note=note if action == "note" else None,
                     suggestion_run_id=run_id, model_version=version, origin="spreadsheet")
            for action, codes in steps], []


def _marks(record: dict[str, Any], code_columns: list[str]) -> tuple[set[str], list[tuple[str, Any]]]:
    marks, unclear = set(), []
    for code in code_columns:
        value = record.get(code)
        text = "" if value is None else str(value).strip().lower()
        if text in ("", "0", "false"):
            continue
        if text in MARKS:
            marks.add(code)
        else:
            unclear.append((code, value))
    return marks, unclear


def _excerpt_problems(excerpt_id: int, record: dict[str, Any], current: pd.DataFrame) -> list[str]:
    if excerpt_id not in current.index:
        return [f"excerpt {excerpt_id} is not a current excerpt of this project (its source was re-ingested "
                "or removed since the export, or the sheet belongs to another project)"]
    row = current.loc[excerpt_id]
    problems = []
    if str(record.get("key") or "") not in (row["key"], workbook_cell(row["key"])):
        problems.append(f"key '{record.get('key')}' does not match excerpt {excerpt_id} ({row['key']})")
    if str(record.get("text_sha") or "") != text_hash(str(row["text"])):
        problems.append(f"excerpt {row['key']} changed since the export (its text is not the one in the sheet)")
    return problems


def _contradictions(decision: str, marks: set[str], suggested: set[str], note: str) -> list[str]:
    if decision == "accept" and marks and marks != suggested:
        return [f"accept, but the marked codes ({', '.join(sorted(marks))}) are not the suggested ones "
                f"({', '.join(sorted(suggested)) or 'none'}): use change"]
    if decision == "reject" and marks:
        return [f"reject, but codes are marked ({', '.join(sorted(marks))}): use change"]
    if decision == "change" and not marks:
        return ["change, but no code is marked (for no code at all use reject)"]
    if decision == "add" and not marks - suggested:
        return ["add, but no code beyond the suggested ones is marked"]
    if decision == "irrelevant" and marks:
        return [f"tidak relevan, but codes are marked ({', '.join(sorted(marks))}): leave the marks empty"]
    if decision == "note" and (marks or not note):
        return ["note, but " + ("codes are marked" if marks else "the note column is empty")]
    return []


def _suggested(cell: Any) -> set[str]:
    """Codes of a `CODE 0.82; CODE 0.41` cell."""
    return {part.strip().split()[0] for part in str(cell or "").split(";") if part.strip()}


def _as_int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None
