"""A findings chapter (BAB IV) as a Word document: per theme and code its definition, spread, triangulation
verdict with its evidence table, representative quotes with citations and memos; then candidate themes and the
appendices (codebook, a coding table per transcript, intercoder agreement, memos and notes).

Headings use Word's built-in styles (Title, Heading 1-3), so Word's table of contents (a TOC field placed at the
top; Word fills it on "Update Field") lists them. Every text passes through the pseudonymiser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pipeline.codebook import Code, Codebook
from pipeline.config import ExportConfig
from pipeline.display import Displays
from pipeline.export.chapter import CodeFindings, Spread, code_findings
from pipeline.export.labels import words
from pipeline.export.privacy import Pseudonymiser
from pipeline.export.tables import Table

CODING_TEXT_WORDS = 40


@dataclass(frozen=True)
class ChapterInputs:
    codebook: Codebook
    displays: Displays
    excerpts: pd.DataFrame
    memos: tuple[tuple[str, str, str, str], ...]  # (code or "", title, text, author)
    notes: list[Table]  # memos, review notes, triangulation notes (already pseudonymised)
    agreement: pd.DataFrame | None  # coder_a, coder_b, n_excerpts, percent, kappa (overall rows)
    candidate_themes: pd.DataFrame | None  # cluster summary rows with candidate_new_theme


def write_chapter(path: str | Path, inputs: ChapterInputs, settings: ExportConfig, privacy: Pseudonymiser,
                  lang: str = "id") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    w = words(lang)
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    document.add_heading(w["chapter_title"], level=0)
    document.add_paragraph(w["chapter_intro"])
    _toc(document, w["toc"])
    findings = _findings(inputs, settings)
    for theme in inputs.codebook.themes:
        document.add_heading(f"{theme.id} — {theme.name}", level=1)
        for code in (c for c in inputs.codebook.codes if c.theme == theme.id):
            _code_section(document, code, findings[code.id], inputs, privacy, w)
    _candidate_themes(document, inputs.candidate_themes, privacy, w)
    _appendices(document, inputs, privacy, w)
    document.save(str(path))
    return path


def _findings(inputs: ChapterInputs, settings: ExportConfig) -> dict[str, CodeFindings]:
    return {code: code_findings(code, inputs.displays.evidence, inputs.excerpts, settings.citation,
                                settings.citation_date, settings.quotes_per_code) for code in inputs.codebook.ids}


def _code_section(document: DocumentObject, code: Code, found: CodeFindings, inputs: ChapterInputs,
                  privacy: Pseudonymiser, w: dict[str, str]) -> None:
    t = privacy.text
    document.add_heading(f"{code.id} — {code.name}", level=2)
    definition = document.add_paragraph()
    definition.add_run(f'{w["definition"]}: ').bold = True
    definition.add_run(t(code.definition))
    document.add_paragraph(t(w["found_in"].format(verified=found.verified, suggested=found.suggested,
                                                  n_informants=len(found.informants),
                                                  informants=", ".join(found.informants) or "—",
                                                  n_other=len(found.other_sources))))
    document.add_paragraph(f'{w["by_roles"]}: ' + _spread_text(found.by_role, w) + f'. {w["by_methods"]}: '
                           + _spread_text(found.by_method, w) + ".")
    _verdict(document, code.id, found, inputs.displays.triangulation, privacy, w)
    document.add_heading(w["quotes"], level=3)
    if not found.quotes:
        document.add_paragraph(w["no_quotes"])
    for quote in found.quotes:
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run(f"“{t(quote.text)}” ")
        paragraph.add_run(t(quote.citation)).bold = True
        if not quote.verified:
            paragraph.add_run(f' [{w["suggested_quote"]}]').italic = True
    memos = [m for m in inputs.memos if m[0] == code.id]
    if memos:
        document.add_heading(w["code_memos"], level=3)
        for _, title, text, author in memos:
            document.add_paragraph(t(f"{title + ': ' if title else ''}{text} ({author})"), style="List Bullet")


def _spread_text(spread: tuple[Spread, ...], w: dict[str, str]) -> str:
    return ", ".join(f"{_role_name(s.name, w)} {s.verified}" + (f" (+{s.suggested})" if s.suggested else "")
                     for s in spread) or "—"


def _role_name(name: str, w: dict[str, str]) -> str:
    return w["no_role"] if name == "—" else name


def _verdict(document: DocumentObject, code: str, found: CodeFindings, triangulation: pd.DataFrame,
             privacy: Pseudonymiser, w: dict[str, str]) -> None:
    row = triangulation[triangulation["code"] == code]
    if row.empty:
        return
    item = row.iloc[0]
    flags = [w[f] for f in ("single_source", "single_method", "suggestions_only") if bool(item[f])]
    paragraph = document.add_paragraph()
    paragraph.add_run(f'{w["verdict"]}: ').bold = True
    paragraph.add_run(w.get(str(item["status"]), str(item["status"])))
    if item["note"]:
        paragraph.add_run(f' — {privacy.text(str(item["note"]))}')
    if flags:
        paragraph.add_run(f' ({", ".join(flags)})').italic = True
    caption = document.add_paragraph(w["evidence_table"].format(code=code), style="Caption")
    caption.paragraph_format.keep_with_next = True
    rows = [(w["role"], _role_name(s.name, w), str(s.verified), str(s.suggested), privacy.text(s.keys))
            for s in found.by_role]
    rows += [(w["method"], s.name, str(s.verified), str(s.suggested), privacy.text(s.keys)) for s in found.by_method]
    _table(document, ("", "", w["verified"], w["suggested"], w["excerpts"]), rows, (1.9, 3.4, 2.7, 1.4, 6.6))


def _table(document: DocumentObject, header: tuple[str, ...], rows: Sequence[tuple[str, ...]],
           widths_cm: tuple[float, ...] = ()) -> None:
    """A grid table with a bold header row; `widths_cm` sets the column widths (else Word shares the width)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    if widths_cm:
        table.autofit = False
        for column, width in zip(table.columns, widths_cm):  # the grid (LibreOffice) and each cell (Word)
            column.width = Cm(width)
        for row_cells in table.rows:
            for cell, width in zip(row_cells.cells, widths_cm):
                cell.width = Cm(width)


def _candidate_themes(document: DocumentObject, themes: pd.DataFrame | None, privacy: Pseudonymiser,
                      w: dict[str, str]) -> None:
    """Every cluster with its label terms, size and central excerpts; candidate new themes marked ★."""
    if themes is None or themes.empty:
        return
    document.add_heading(w["candidate_themes"], level=1)
    document.add_paragraph(w["candidate_intro"])
    rows = [(str(r.cluster), privacy.terms(str(r.label_terms)), str(r.size),
             ("★ " if str(r.candidate_new_theme).lower() == "true" else "") + privacy.text(str(r.central_keys)))
            for r in themes.itertuples(index=False) if int(r.cluster) >= 0]
    _table(document, (w["cluster"], w["cluster_terms"], "n", w["candidate_theme"]), rows)


def _appendices(document: DocumentObject, inputs: ChapterInputs, privacy: Pseudonymiser, w: dict[str, str]) -> None:
    document.add_page_break()
    document.add_heading(w["appendices"], level=1)
    document.add_heading(w["appendix_codebook"], level=2)
    _table(document, (w["code"], w["name"], w["definition"], w["include"], w["exclude"]),
           [(c.id, c.name, privacy.text(c.definition), c.include, c.exclude) for c in inputs.codebook.codes])
    document.add_heading(w["appendix_coding"], level=2)
    evidence = inputs.displays.evidence
    for source, rows in inputs.excerpts.groupby("source", sort=True):
        document.add_heading(privacy.text(str(source)), level=3)
        lines = []
        for excerpt in rows.sort_values("start").itertuples(index=False):
            codes = evidence[evidence["excerpt_id"] == excerpt.excerpt_id]
            shown = [c if s == "verified" else f"{c}?" for c, s in zip(codes["code"], codes["status"])
                     if s in ("verified", "suggested")]
            text = " ".join(str(excerpt.text).split()[:CODING_TEXT_WORDS])
            lines.append((str(excerpt.key), ", ".join(shown), privacy.text(text)))
        _table(document, (w["key"], w["codes_col"], w["text"]), lines, (2.8, 3.2, 10.0))
    document.add_heading(w["appendix_agreement"], level=2)
    if inputs.agreement is None or inputs.agreement.empty:
        document.add_paragraph(w["no_agreement"])
    else:
        _table(document, tuple(str(c) for c in inputs.agreement.columns),
               [tuple(str(v) for v in row) for row in inputs.agreement.itertuples(index=False)])
    document.add_heading(w["appendix_notes"], level=2)
    for table in inputs.notes:
        document.add_heading(table.title, level=3)
        _table(document, tuple(str(c) for c in table.frame.columns),
               [tuple("" if pd.isna(v) else str(v) for v in row) for row in table.frame.itertuples(index=False)])


def _toc(document: DocumentObject, label: str) -> None:
    """A Word TOC field over Heading 1-3 (Word fills it when fields are updated)."""
    paragraph = document.add_paragraph()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-3" \\h \\z \\u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = label
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
