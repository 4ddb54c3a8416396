"""Export a project: read what the displays need from the store, build them, write the chosen formats.

The use case around the display and export stages (the displays themselves are pure functions over frames).
Formats: csv (one file per display), xlsx (one workbook), html (one self-contained report), qdpx (REFI-QDA
project), qdc (REFI-QDA codebook). Real names stay out of every file unless `real_names` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pipeline import display
from pipeline.app.names import project_privacy, write_detected_names
from pipeline.app.project import Project
from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.decision_log import Decision, replay
from pipeline.errors import ExportError
from pipeline.export.csv_files import write_csv
from pipeline.export.docx_chapter import ChapterInputs, write_chapter
from pipeline.export.html_report import ReportInfo, write_html
from pipeline.export.labels import words
from pipeline.export.notes_tables import notes_tables
from pipeline.export.pdf import write_pdf
from pipeline.export.qdc import write_qdc
from pipeline.export.qdpx import QdpxInputs, write_qdpx
from pipeline.export.qdpx_notes import memo_notes, review_notes, suggestion_descriptions, triangulation_notes
from pipeline.export.refi import model_user
from pipeline.export.tables import Table, build_tables, private_table
from pipeline.export.workbook import write_workbook
from pipeline.store import decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.memos import Memo, list_memos
from pipeline.store.sources import current_sources_frame, informants_frame
from pipeline.store.suggestions import load_suggestions
from pipeline.store.triangulation import current_status

FORMATS = ("csv", "xlsx", "html", "qdpx", "qdc", "docx", "pdf")
DEFAULT_FORMATS = ("csv", "xlsx", "html", "qdpx", "qdc", "docx")  # pdf needs a browser: only when asked for
WORKBOOK = "reduksi.xlsx"
REPORT = "laporan.html"
QDPX = "reduksi.qdpx"
QDC = "codebook.qdc"
CHAPTER = "bab4.docx"
PDF = "laporan.pdf"


@dataclass(frozen=True)
class ProjectData:
    """Everything an export is made of, read once from the store."""

    name: str
    codebook: Codebook
    excerpts: pd.DataFrame
    suggestions: pd.DataFrame
    verified: dict[int, frozenset[str]]
    authors: dict[tuple[int, str], tuple[str, str]]  # (excerpt id, code) -> (reviewer, decided at)
    informants: pd.DataFrame  # id, role, site, real_name
    sources: pd.DataFrame  # current versions
    status: pd.DataFrame
    clusters: tuple[pd.DataFrame, pd.DataFrame] | None
    log: tuple[Decision, ...] = ()  # the decision log (rejections and review notes go into the QDPX)
    memos: tuple[Memo, ...] = ()  # memos on the project, sources and codes (into the QDPX as notes)


def load_project(project: Project, clusters_dir: Path | None = None) -> ProjectData:
    store = project.store
    excerpts = excerpts_frame(store)
    suggestions = load_suggestions(store)
    suggestions = suggestions[suggestions["excerpt_id"].isin(set(excerpts["excerpt_id"]))].reset_index(drop=True)
    log = decisions.history(store)
    state = decisions.label_state(store)  # read through the codebook changes: labels in today's codes
    return ProjectData(name=store.folder.resolve().name, codebook=project.codebook, excerpts=excerpts,
                       suggestions=suggestions, verified=state.labels, authors=state.authors,
                       informants=informants_frame(store), sources=current_sources_frame(store),
                       status=current_status(store), clusters=read_clusters(clusters_dir or store.folder, excerpts),
                       log=tuple(log), memos=tuple(list_memos(store)))


def read_clusters(folder: Path, excerpts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The latest `reduksi cluster` outputs in `folder` (clusters.csv, cluster_summary.csv), current keys only."""
    assignments, summary = folder / "clusters.csv", folder / "cluster_summary.csv"
    if not (assignments.is_file() and summary.is_file()):
        return None
    points = pd.read_csv(assignments)
    points = points[points["key"].isin(set(excerpts["key"]))]
    return points, pd.read_csv(summary, keep_default_na=False)


def build_displays(data: ProjectData, config: Config) -> display.Displays:
    inputs = display.DisplayInputs(data.excerpts, data.suggestions, data.verified, data.codebook.ids, data.status)
    return display.run(inputs, config.display)


def chosen_formats(values: list[str]) -> tuple[str, ...]:
    """Formats named in repeatable or comma-separated options, checked (none named: every format)."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for item in values for v in item.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format(s) {', '.join(unknown)}", key="--format", hint=f"use: {', '.join(FORMATS)}")
    return chosen or DEFAULT_FORMATS


def export_project(project: Project, out: str | Path, formats: tuple[str, ...] = DEFAULT_FORMATS, *,
                   lang: str | None = None, real_names: bool = False, clusters_dir: Path | None = None) -> list[Path]:
    """Write the chosen formats into `out`; returns the files written."""
    config, codebook = project.config, project.codebook
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format(s) {', '.join(unknown)}", key="format", hint=f"use: {', '.join(FORMATS)}")
    lang = lang or config.export.lang
    w = words(lang)
    out = Path(out)
    data = load_project(project, clusters_dir)
    found = project_privacy(project, real_names)
    privacy = found.pseudonymiser
    write_detected_names(project, found)
    displays = build_displays(data, config)
    tables = build_tables(displays, codebook, privacy, lang)
    inputs = qdpx_inputs(data, displays, w)
    keys = dict(zip(data.excerpts["excerpt_id"].astype(int), data.excerpts["key"]))
    notes = [private_table(t, privacy) for t in notes_tables(inputs.notes, keys, w)]
    tables += notes
    written: list[Path] = []
    files = [*tables, about_table(data, codebook, real_names, w)]  # the files name what they were made from
    if "csv" in formats:
        written += write_csv(files, out)
    if "xlsx" in formats:
        written.append(write_workbook(files, out / WORKBOOK))
    if "html" in formats or "pdf" in formats:
        info = ReportInfo(data.name, _now(), f"{codebook.name} ({codebook.version})", len(data.sources),
                          len(data.excerpts), real_names)
        report = write_html(out / REPORT, displays, tables, codebook, privacy, info, lang, data.clusters)
        if "pdf" in formats:
            written.append(write_pdf(report, out / PDF))
        if "html" in formats:
            written.append(report)
        else:
            report.unlink()
    if "qdpx" in formats:
        written.append(write_qdpx(out / QDPX, inputs, privacy))
    if "qdc" in formats:
        verdicts = status_notes(data.status, w)
        written.append(write_qdc(out / QDC, codebook, {c: privacy.text(n) for c, n in verdicts.items()}))
    if "docx" in formats:
        written.append(write_chapter(out / CHAPTER, chapter_inputs(project, data, displays, notes), config.export,
                                     privacy, lang))
    return written


def about_table(data: ProjectData, codebook: Codebook, real_names: bool, w: dict[str, str]) -> Table:
    """Project, time, the codebook version the labels read in, the models behind the suggestions, names."""
    models = sorted(set(data.suggestions["model_version"].astype(str))) if len(data.suggestions) else []
    rows = [(w["about_project"], data.name), (w["about_exported"], _now()),
            (w["about_codebook"], f"{codebook.name or 'reduksi'} ({codebook.version})"),
            (w["about_models"], ", ".join(models) or "-"),
            (w["about_names"], w["names_real"] if real_names else w["names_pseudonymised"])]
    return Table("tentang", w["about_export"], pd.DataFrame(rows, columns=[w["about_item"], w["about_value"]]))


def chapter_inputs(project: Project, data: ProjectData, displays: display.Displays, notes: list[Table]
                   ) -> ChapterInputs:
    """What the findings chapter needs beyond the displays: memos on codes, notes, agreement, candidate themes."""
    from pipeline.app.agreement import agreement_frames
    from pipeline.review.agreement import OVERALL

    memos = tuple((m.target if m.target_kind == "code" else "", m.title, m.text, m.author) for m in data.memos)
    pairs = agreement_frames(project, with_model=False)["pairs"]
    overall = pairs[pairs["code"] == OVERALL][["coder_a", "coder_b", "n_excerpts", "percent", "kappa"]].round(3)
    themes = data.clusters[1] if data.clusters is not None else None
    return ChapterInputs(data.codebook, displays, data.excerpts, memos, notes, overall, themes)


def qdpx_inputs(data: ProjectData, displays: display.Displays, w: dict[str, str]) -> QdpxInputs:
    """Codings: each reviewer's own verified codes (dated when that reviewer gave them) and the displays' open
    suggestions under their model version's user; notes: rejections, review notes, "no code" verifications and
    triangulation verdicts."""
    rows, none_verified = [], {}
    for reviewer in sorted({d.reviewer for d in data.log}):
        own = replay([d for d in data.log if d.reviewer == reviewer])
        none_verified[reviewer] = {e for e, codes in own.labels.items() if not codes}
        rows += [(e, c, reviewer, own.authors.get((e, c), ("", ""))[1])
                 for e, codes in own.labels.items() for c in sorted(codes)]
    open_rows = displays.evidence[displays.evidence["status"] == "suggested"][["excerpt_id", "code"]]
    open_suggestions = data.suggestions.merge(open_rows.astype({"excerpt_id": "int64"}), on=["excerpt_id", "code"])
    rows += [(int(r.excerpt_id), str(r.code), model_user(str(r.model_version)), "")
             for r in open_suggestions.itertuples(index=False)]
    codings = pd.DataFrame(rows, columns=["excerpt_id", "code", "user", "created_at"])
    keys = dict(zip(data.excerpts["excerpt_id"].astype(int), data.excerpts["key"]))
    memos = [(m.target_kind, m.target, m.title, m.text, m.author, m.created_at or "") for m in data.memos]
    notes = (*review_notes(data.log, none_verified, keys), *triangulation_notes(data.status, w), *memo_notes(memos))
    descriptions = {(e, model_user(v)): text for (e, v), text in suggestion_descriptions(open_suggestions).items()}
    return QdpxInputs(project=data.name, codebook=data.codebook, sources=data.sources,
                      excerpts=data.excerpts[["excerpt_id", "key", "source_id", "start", "end", "text"]],
                      codings=codings, informants=data.informants, notes=notes, created=_now(),
                      descriptions=descriptions)


def status_notes(status: pd.DataFrame, w: dict[str, str]) -> dict[str, str]:
    """Code -> "Status triangulasi: terkonfirmasi — note" for every judged code."""
    label = w["triangulation_status"]
    return {row.code: f"{label}: {w.get(row.status, row.status)}" + (f" — {row.note}" if row.note else "")
            for row in status.itertuples(index=False)}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
