"""Commands: export (CSV, Excel, HTML report, REFI-QDA), import (codings from a .qdpx), triangulation (verdicts)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project

if TYPE_CHECKING:
    from pipeline.export.qdpx_import import ImportReport


@command("export")
def export_command(
    project: Path = ProjectArgument,
    formats: Optional[list[str]] = typer.Option(
        None, "--format", "-f", help="csv, xlsx, html, pdf, docx, qdpx or qdc (repeatable or comma-separated; "
                                     "default: all but pdf, which needs Chromium)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: PROJECT/export)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Labels: id (Bahasa Indonesia) or en (default: "
                                                            "export.lang in the config)."),
    real_names: bool = typer.Option(False, "--real-names", help="Keep real names (default: informants' names "
                                                                "become their ids, other names found in the text "
                                                                "[ORANG-n]; see `reduksi names`)."),
    clusters: Optional[Path] = typer.Option(None, "--clusters", help="Folder with `reduksi cluster` outputs for "
                                                                     "the report's cluster map (default: PROJECT)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Write the displays, the triangulation table, notes, the findings chapter and the coded project (CSV, Excel,
    HTML, PDF, Word, REFI-QDA)."""
    from pipeline.app.export import chosen_formats, export_project

    chosen = chosen_formats(formats or [])
    with open_project(project, config_file, codebook_file) as opened:
        files = export_project(opened, out or Path(project) / "export", chosen, lang=lang, real_names=real_names,
                               clusters_dir=clusters)
    if real_names:
        typer.echo("Warning: these files contain informants' real names.", err=True)
    for path in files:
        typer.echo(f"Wrote {path}")
    typer.echo(f"Names found in the text and their pseudonyms: {Path(project) / 'nama_terdeteksi.csv'} "
               "(keep it, do not share it; `reduksi names` marks false finds)", err=True)


@command("import")
def import_command(
    project: Path = typer.Argument(..., help="Project folder (created when missing: the file's sources and codebook "
                                             "come in with it)."),
    file: Path = typer.Argument(..., help="A REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder..."),
    skip_unknown: bool = typer.Option(False, "--skip-unknown", help="Import the rest when some codes or sources "
                                                                    "are not in the project (default: stop)."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Record every coding as this reviewer "
                                                                          "(default: the coder named in the file)."),
    codebook: Optional[bool] = typer.Option(None, "--take-codebook/--keep-codebook", help="Make the file's "
                                            "codebook the project's (default: only when the project has none)."),
    sources: bool = typer.Option(True, "--sources/--no-sources", help="Add the file's sources the project lacks "
                                                                      "(default: yes; matched by content hash)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Bring a REFI-QDA project in: sources, codebook, codings (verified labels, by coder) and notes."""
    from pipeline.app.imports import import_qdpx
    from pipeline.app.project import project_exists

    new = not project_exists(project)
    with open_project(project, config_file, create=True) as opened:
        report = import_qdpx(opened, file, skip_unknown=skip_unknown, reviewer=reviewer, codebook=codebook,
                             sources=sources)
    if new:
        typer.echo(f"New project: {project} (it did not exist; the file's sources and codebook are in it now).")
    _print_report(file, report)


def _print_report(file: Path, report: "ImportReport") -> None:
    """Every problem and warning with its count, then what was placed."""
    for problem in report.problems():
        typer.echo(f"Warning: {file}: {problem}; skipped", err=True)
    for warning in report.warnings():
        typer.echo(f"Warning: {file}: {warning}", err=True)
    if report.codebook:
        typer.echo(f"Codebook: {report.codebook}")
    if report.sources_added:
        typer.echo(f"Sources added: {', '.join(report.sources_added)}")
    read_as = {k: f"{v}" for k, v in report.line_ends.items() if v != "lf"}
    read_as.update({k: f"{read_as[k] + ' ' if k in read_as else ''}{v}" for k, v in report.positions.items()
                    if v != "codepoints"})
    if read_as:
        typer.echo("Positions: " + ", ".join(f"{k} {v}" for k, v in read_as.items()))
    by_coder = ", ".join(f"{coder} {n}" for coder, n in sorted(report.verifications.items())) or "none"
    typer.echo(f"Read {report.codings} coding(s) in {report.sources} source(s): {report.imported} imported, "
               f"{report.machine_skipped} machine suggestion(s) skipped, {report.outside_excerpts} outside any "
               f"excerpt, {sum(report.unknown_codes.values())} with unknown codes. Notes: {report.notes} read, "
               f"{report.notes_placed} placed. Appended {report.decisions} decision(s) on {report.excerpts} "
               f"excerpt(s) (verified codes by coder: {by_coder}), {report.verdicts} triangulation verdict(s) and "
               f"{report.memos} memo(s).")
    if not (report.decisions or report.verdicts or report.memos):
        typer.echo("Nothing new was imported: " + ("; ".join(report.problems() + report.warnings())
                                                   or "everything in the file is already in the project."))


@command("triangulation")
def triangulation_command(
    project: Path = ProjectArgument,
    code: Optional[str] = typer.Argument(None, help="Code to judge; without it, the table is printed."),
    status: Optional[str] = typer.Option(None, "--status", "-s", help="belum_diperiksa, terkonfirmasi, "
                                                                      "perlu_data_tambahan or ditolak."),
    note: str = typer.Option("", "--note", "-n", help="Your reasoning, carried into every export."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Your name (needed with --status)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Record a code's triangulation verdict (status and note), or print the triangulation table."""
    from pipeline.app.triangulation import record_verdict, triangulation_table

    with open_project(project, config_file, codebook_file) as opened:
        if code is not None:
            record_verdict(opened, code, status, reviewer, note)
        table = triangulation_table(opened)
    for row in table.itertuples(index=False):
        flags = [f for f in ("single_source", "single_method", "suggestions_only") if getattr(row, f)]
        typer.echo(f"{row.code:<16} verified {row.verified_excerpts:>4} ({row.verified_cases} case(s), "
                   f"{row.verified_methods} method(s)), suggested {row.suggested_excerpts:>4}  "
                   f"{row.status}{'  [' + ', '.join(flags) + ']' if flags else ''}")
