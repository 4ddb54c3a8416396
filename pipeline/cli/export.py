"""Commands: export (CSV, Excel, HTML report, REFI-QDA), import (codings from a .qdpx), triangulation (verdicts)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project


@command("export")
def export_command(
    project: Path = ProjectArgument,
    formats: Optional[list[str]] = typer.Option(
        None, "--format", "-f", help="csv, xlsx, html, qdpx or qdc (repeatable or comma-separated; default: all)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: PROJECT/export)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Labels: id (Bahasa Indonesia) or en (default: "
                                                            "export.lang in the config)."),
    real_names: bool = typer.Option(False, "--real-names", help="Keep informants' real names (default: every "
                                                                "name in the manifest becomes its pseudonym)."),
    clusters: Optional[Path] = typer.Option(None, "--clusters", help="Folder with `reduksi cluster` outputs for "
                                                                     "the report's cluster map (default: PROJECT)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Write the displays, the triangulation table and the coded project (CSV, Excel, HTML, REFI-QDA)."""
    from pipeline.app.export import chosen_formats, export_project

    chosen = chosen_formats(formats or [])
    with open_project(project, config_file, codebook_file) as opened:
        files = export_project(opened, out or Path(project) / "export", chosen, lang=lang, real_names=real_names,
                               clusters_dir=clusters)
    if real_names:
        typer.echo("Warning: these files contain informants' real names.", err=True)
    for path in files:
        typer.echo(f"Wrote {path}")


@command("import")
def import_command(
    project: Path = ProjectArgument,
    file: Path = typer.Argument(..., help="A REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder..."),
    skip_unknown: bool = typer.Option(False, "--skip-unknown", help="Import the rest when some codes or sources "
                                                                    "are not in the project (default: stop)."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Record every coding as this reviewer "
                                                                          "(default: the coder named in the file)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Bring codings made in another QDA tool in as verified labels (they train the suggester)."""
    from pipeline.app.imports import import_qdpx

    with open_project(project, config_file, codebook_file) as opened:
        report = import_qdpx(opened, file, skip_unknown=skip_unknown, reviewer=reviewer)
    for name, count in report.unknown_codes.items():
        typer.echo(f"Warning: {file}: unknown code '{name}' ({count} coding(s)) skipped", err=True)
    for name in report.unmatched_sources:
        typer.echo(f"Warning: {file}: no matching source for '{name}'; its codings were skipped", err=True)
    for name in report.skipped_sources:
        typer.echo(f"Warning: {file}: {name} is not a text source; skipped", err=True)
    crlf = {k: v for k, v in report.line_ends.items() if v != "lf"}
    if crlf:
        typer.echo("Line ends: " + ", ".join(f"{k} {v}" for k, v in crlf.items()))
    typer.echo(f"Read {report.codings} coding(s) in {report.sources} source(s): {report.imported} imported, "
               f"{report.machine_skipped} machine suggestion(s) skipped, {report.outside_excerpts} outside any "
               f"excerpt. Appended {report.decisions} decision(s) on {report.excerpts} excerpt(s).")


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
