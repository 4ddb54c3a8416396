"""Commands: review (terminal; export / import of a spreadsheet), agreement, assign."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from typer.core import TyperGroup

from pipeline.cli import app, command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project

if TYPE_CHECKING:
    from pipeline.app.review import QueueFilter


class _DefaultToStart(TyperGroup):
    """`reduksi review PROJECT ...` means `reduksi review start PROJECT ...`; `export`/`import` stay subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(cls=_DefaultToStart, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                         help="Review suggested codes: `reduksi review PROJECT --reviewer NAME` in the terminal, "
                              "or `review export` / `review import` a spreadsheet.")
app.add_typer(review_app, name="review")

ReviewerOption = typer.Option(..., "--reviewer", "-r", help="Your name as recorded with every decision.")
CodeFilter = typer.Option(None, "--code", help="Only excerpts likely to hold this code (repeatable).")
InformantFilter = typer.Option(None, "--informant", help="Only this informant (repeatable).")
RoleFilter = typer.Option(None, "--role", help="Only informants with this role (repeatable).")
MethodFilter = typer.Option(None, "--method", help="Only wawancara, observasi or dokumen (repeatable).")
MinConfidence = typer.Option(None, "--min-confidence", help="Only excerpts whose top code probability is >= this.")
MaxConfidence = typer.Option(None, "--max-confidence", help="Only excerpts whose top code probability is <= this.")
AllOption = typer.Option(False, "--all", help="Ignore assignments: queue every excerpt you have not verified.")


def _filter(code: Any, informant: Any, role: Any, method: Any, min_confidence: Any, max_confidence: Any
            ) -> "QueueFilter":
    from pipeline.app.review import QueueFilter

    return QueueFilter(tuple(code or ()), tuple(informant or ()), tuple(role or ()), tuple(method or ()),
                       min_confidence, max_confidence)


@review_app.command("start")
def review_start(
    project: Path = ProjectArgument, reviewer: str = ReviewerOption, code: Optional[list[str]] = CodeFilter,
    informant: Optional[list[str]] = InformantFilter, role: Optional[list[str]] = RoleFilter,
    method: Optional[list[str]] = MethodFilter, min_confidence: Optional[float] = MinConfidence,
    max_confidence: Optional[float] = MaxConfidence, all_excerpts: bool = AllOption,
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """(default) Review in the terminal, most useful excerpts first; resumes where you stopped."""
    from pipeline.app.review import bookmark, start_session
    from pipeline.review.terminal import review_loop

    with open_project(project, config_file, codebook_file) as opened:
        filters = _filter(code, informant, role, method, min_confidence, max_confidence)
        session = start_session(opened, reviewer, filters, assigned_only=not all_excerpts)
        typer.echo(f"{session.remaining} excerpt(s) to review for {reviewer} (model {session.fallback_version})."
                   " Type ? for the keys.")
        summary = review_loop(session, _read_line, typer.echo)
        if session.current is not None:
            bookmark(opened, reviewer, int(session.current.excerpt["excerpt_id"]))
    typer.echo(f"Recorded decisions on {summary.decided} excerpt(s); {summary.remaining} left.")


def _read_line(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


@review_app.command("export")
def review_export(
    project: Path = ProjectArgument, reviewer: str = ReviewerOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="The .xlsx file to write (default: review-REVIEWER.xlsx here)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many excerpts (the most useful)."),
    code: Optional[list[str]] = CodeFilter, informant: Optional[list[str]] = InformantFilter,
    role: Optional[list[str]] = RoleFilter, method: Optional[list[str]] = MethodFilter,
    min_confidence: Optional[float] = MinConfidence, max_confidence: Optional[float] = MaxConfidence,
    all_excerpts: bool = AllOption,
    codebook_file: Optional[Path] = CodebookOption, config_file: Optional[Path] = ConfigOption,
) -> None:
    """Write a review spreadsheet: one row per excerpt, suggestions, a decision drop-down, a column per code."""
    from pipeline.app.review import export_review_sheet

    with open_project(project, config_file, codebook_file) as opened:
        written = export_review_sheet(opened, reviewer, out, limit,
                                      _filter(code, informant, role, method, min_confidence, max_confidence),
                                      assigned_only=not all_excerpts)
    typer.echo(f"Wrote {written.path}: {written.excerpts} excerpt(s) for {reviewer}. Fill the decision column, then "
               f"`reduksi review import {project} {written.path}`.")


@review_app.command("import")
def review_import(
    project: Path = ProjectArgument,
    sheet: Path = typer.Argument(..., help="A sheet written by `reduksi review export`."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Reviewer (default: the sheet's)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Check every row of a filled review sheet; apply all its decisions, or nothing if any row is wrong."""
    from pipeline.app.review import import_review_sheet

    with open_project(project, config_file, codebook_file) as opened:
        report = import_review_sheet(opened, sheet, reviewer)
    typer.echo(f"Imported {report.decisions} decision(s) on {report.decided} excerpt(s) by {report.reviewer} "
               f"({report.rows} row(s) read).")


@command("agreement")
def agreement_command(
    project: Path = ProjectArgument,
    reviewers: Optional[str] = typer.Option(None, "--reviewers", help="Comma-separated reviewers (default: all)."),
    no_model: bool = typer.Option(False, "--no-model", help="Leave out human-model agreement."),
    drop_uncoded: bool = typer.Option(False, "--drop-uncoded",
                                      help="Leave out excerpts to which none of the compared coders gave a code."),
    per_code: bool = typer.Option(False, "--per-code", help="Show every code, not only the overall figures."),
    csv_dir: Optional[Path] = typer.Option(None, "--csv", help="Also write agreement_pairs.csv and "
                                                               "agreement_alpha.csv into this folder."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Inter-coder agreement: percent, Cohen's kappa and Krippendorff's alpha, per code and overall, with CIs."""
    from pipeline.app.agreement import agreement_result, write_agreement_csv
    from pipeline.review.agreement import format_agreement

    wanted = tuple(r.strip() for r in (reviewers or "").split(",") if r.strip())
    with open_project(project, config_file, codebook_file) as opened:
        result = agreement_result(opened, drop_uncoded=drop_uncoded, with_model=not no_model, reviewers=wanted)
    typer.echo(format_agreement(result, "all" if per_code else "overall"))
    if csv_dir is not None:
        for path in write_agreement_csv(result, csv_dir):
            typer.echo(f"Wrote {path}")


@command("assign")
def assign_command(
    project: Path = ProjectArgument,
    reviewers: str = typer.Option(..., "--reviewers", help="Comma-separated reviewers, at least two."),
    overlap: Optional[float] = typer.Option(None, "--overlap", help="Share coded by two reviewers "
                                                                    "(default: [review] overlap)."),
    size: Optional[int] = typer.Option(None, "--size", help="Excerpts in this round (default: all unassigned)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: [review] seed)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Double coding: split unverified, unassigned excerpts among reviewers with an overlapping sample."""
    from pipeline.app.review import assign_round

    names = tuple(r.strip() for r in reviewers.split(",") if r.strip())
    with open_project(project, config_file, codebook_file) as opened:
        result = assign_round(opened, names, overlap, size, seed)
    planned = result.assignments
    double = {a.excerpt_id for a in planned if a.overlap}
    per = {n: sum(a.reviewer == n for a in planned) for n in names}
    typer.echo(f"{result.round}: {len({a.excerpt_id for a in planned})} excerpt(s), {len(double)} double-coded; "
               + ", ".join(f"{n} {k}" for n, k in per.items()) + ".")
