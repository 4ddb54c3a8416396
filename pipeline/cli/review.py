"""Commands: review (terminal; export / import of a spreadsheet), agreement, assign, models."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import click
import typer
from typer.core import TyperGroup

from pipeline.cli import app, command
from pipeline.cli.project import ConfigOption
from pipeline.codebook import load_codebook
from pipeline.config import load_config
from pipeline.store import Store


class _DefaultToStart(TyperGroup):
    """`reduksi review PROJECT ...` means `reduksi review start PROJECT ...`; `export`/`import` stay subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


review_app = typer.Typer(cls=_DefaultToStart, no_args_is_help=True, add_completion=False,
                         help="Review suggested codes: `reduksi review PROJECT --reviewer NAME` in the terminal, "
                              "or `review export` / `review import` a spreadsheet.")
app.add_typer(review_app, name="review")

ProjectArgument = typer.Argument(..., help="Project folder (made by `reduksi ingest` or `reduksi run`).")
ReviewerOption = typer.Option(..., "--reviewer", "-r", help="Your name as recorded with every decision.")
CodeFilter = typer.Option(None, "--code", help="Only excerpts likely to hold this code (repeatable).")
InformantFilter = typer.Option(None, "--informant", help="Only this informant (repeatable).")
RoleFilter = typer.Option(None, "--role", help="Only informants with this role (repeatable).")
MethodFilter = typer.Option(None, "--method", help="Only wawancara, observasi or dokumen (repeatable).")
MinConfidence = typer.Option(None, "--min-confidence", help="Only excerpts whose top code probability is >= this.")
MaxConfidence = typer.Option(None, "--max-confidence", help="Only excerpts whose top code probability is <= this.")
AllOption = typer.Option(False, "--all", help="Ignore assignments: queue every excerpt you have not verified.")


def _filter(code: Any, informant: Any, role: Any, method: Any, min_confidence: Any, max_confidence: Any) -> Any:
    from pipeline.review.review_queue import QueueFilter

    return QueueFilter(tuple(code or ()), tuple(informant or ()), tuple(role or ()), tuple(method or ()),
                       min_confidence, max_confidence)


def _open(project: Path, config_file: Optional[Path]) -> tuple[Any, Any, Store]:
    config = load_config(config_file)
    codebook = load_codebook(config.path(config.suggest.codebook))
    return config, codebook, Store.open(project)


@review_app.command("start")
def review_start(
    project: Path = ProjectArgument, reviewer: str = ReviewerOption, code: Optional[list[str]] = CodeFilter,
    informant: Optional[list[str]] = InformantFilter, role: Optional[list[str]] = RoleFilter,
    method: Optional[list[str]] = MethodFilter, min_confidence: Optional[float] = MinConfidence,
    max_confidence: Optional[float] = MaxConfidence, all_excerpts: bool = AllOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """(default) Review in the terminal, most useful excerpts first; resumes where you stopped."""
    from pipeline.review import project as review
    from pipeline.review.session import ReviewSession
    from pipeline.review.terminal import review_loop
    from pipeline.store.excerpts import excerpts_frame

    config, codebook, store = _open(project, config_file)
    with store:
        filters = _filter(code, informant, role, method, min_confidence, max_confidence)
        model, suggestions, queue = review.review_plan(store, codebook, config, reviewer, filters,
                                                       assigned_only=not all_excerpts)
        order = review.resume_order(store, reviewer, queue["excerpt_id"].astype(int).tolist())
        session = ReviewSession(store, codebook, reviewer, order, excerpts_frame(store), suggestions,
                                review.model_version(model, codebook),
                                requeue=review.session_requeue(store, codebook, config, reviewer, filters,
                                                               assigned_only=not all_excerpts),
                                requeue_every=config.review.requeue_every)
        typer.echo(f"{len(queue)} excerpt(s) to review for {reviewer} (model {review.model_version(model, codebook)})."
                   " Type ? for the keys.")
        summary = review_loop(session, _read_line, typer.echo)
        if session.current is not None:
            review.bookmark(store, reviewer, int(session.current.excerpt["excerpt_id"]))
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
    all_excerpts: bool = AllOption, config_file: Optional[Path] = ConfigOption,
) -> None:
    """Write a review spreadsheet: one row per excerpt, suggestions, a decision drop-down, a column per code."""
    from pipeline.review import project as review
    from pipeline.review.spreadsheet import export_sheet
    from pipeline.store import decisions
    from pipeline.store.excerpts import excerpts_frame

    config, codebook, store = _open(project, config_file)
    with store:
        model, suggestions, queue = review.review_plan(
            store, codebook, config, reviewer, _filter(code, informant, role, method, min_confidence, max_confidence),
            assigned_only=not all_excerpts)
        order = queue["excerpt_id"].astype(int).tolist()[:limit]
        excerpts = excerpts_frame(store).set_index("excerpt_id").loc[order].reset_index()
        labels = decisions.current_labels(store.db, reviewer=reviewer)
        default = Path("review-" + re.sub(r"[^\w.-]+", "-", reviewer) + ".xlsx")
        path = export_sheet(out or default, excerpts, suggestions, codebook, reviewer=reviewer, labels=labels,
                            project=str(project))
    typer.echo(f"Wrote {path}: {len(excerpts)} excerpt(s) for {reviewer}. Fill the decision column, then "
               f"`reduksi review import {project} {path}`.")


@review_app.command("import")
def review_import(
    project: Path = ProjectArgument,
    sheet: Path = typer.Argument(..., help="A sheet written by `reduksi review export`."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Reviewer (default: the sheet's)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Check every row of a filled review sheet; apply all its decisions, or nothing if any row is wrong."""
    from pipeline.review.spreadsheet import import_sheet

    config, codebook, store = _open(project, config_file)
    with store:
        report = import_sheet(store, codebook, sheet, reviewer)
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
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Inter-coder agreement: percent, Cohen's kappa and Krippendorff's alpha, per code and overall, with CIs."""
    from pipeline.review import agreement
    from pipeline.review import project as review

    config, codebook, store = _open(project, config_file)
    wanted = tuple(r.strip() for r in (reviewers or "").split(",") if r.strip())
    with store:
        codings = review.codings(store, codebook, config, with_model=not no_model)
    if wanted:
        codings = {k: v for k, v in codings.items() if k in wanted or k.startswith(agreement.MODEL_PREFIX)}
    result = agreement.run(codings, codebook.ids, config.review, drop_uncoded=drop_uncoded)
    typer.echo(agreement.format_agreement(result, "all" if per_code else "overall"))
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        result.pairs.to_csv(csv_dir / "agreement_pairs.csv", index=False)
        result.alpha.to_csv(csv_dir / "agreement_alpha.csv", index=False)
        typer.echo(f"Wrote {csv_dir / 'agreement_pairs.csv'} and {csv_dir / 'agreement_alpha.csv'}")


@command("assign")
def assign_command(
    project: Path = ProjectArgument,
    reviewers: str = typer.Option(..., "--reviewers", help="Comma-separated reviewers, at least two."),
    overlap: Optional[float] = typer.Option(None, "--overlap", help="Share coded by two reviewers "
                                                                    "(default: [review] overlap)."),
    size: Optional[int] = typer.Option(None, "--size", help="Excerpts in this round (default: all unassigned)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: [review] seed)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Double coding: split unverified, unassigned excerpts among reviewers with an overlapping sample."""
    from pipeline.review.assign import assign, assigned_ids
    from pipeline.store import decisions
    from pipeline.store.excerpts import excerpts_frame

    config, codebook, store = _open(project, config_file)
    names = tuple(r.strip() for r in reviewers.split(",") if r.strip())
    with store:
        taken = assigned_ids(store) | set(decisions.current_labels(store.db))
        candidates = [int(e) for e in excerpts_frame(store)["excerpt_id"] if int(e) not in taken]
        name, planned = assign(store, candidates, names, config.review.overlap if overlap is None else overlap,
                               config.review.seed if seed is None else seed, size)
    double = {a.excerpt_id for a in planned if a.overlap}
    per = {n: sum(a.reviewer == n for a in planned) for n in names}
    typer.echo(f"{name}: {len({a.excerpt_id for a in planned})} excerpt(s), {len(double)} double-coded; "
               + ", ".join(f"{n} {k}" for n, k in per.items()) + ".")


@command("models")
def models_command(
    project: Path = ProjectArgument,
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", help="Model folders (default: PROJECT/models)."),
    promote: Optional[str] = typer.Option(None, "--promote", help="Compare this version with the model in use and "
                                                                  "promote it if it is not worse."),
    force: bool = typer.Option(False, "--force", help="With --promote: promote even if it is worse."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """List model versions with their metrics and which one is in use; promote a version when it is not worse."""
    from pipeline.review import retrain
    from pipeline.suggest import load_model

    config, codebook, store = _open(project, config_file)
    folder = models_dir or project / "models"
    with store:
        if promote:
            comparison = retrain.promote_if_not_worse(store, codebook, config, load_model(folder / promote, codebook),
                                                      force=force)
            typer.echo(format_comparison(comparison))
        rows = retrain.list_models(store, folder)
    if not rows:
        typer.echo(f"No models in {folder} (train one with `reduksi train {project}`).")
        return
    typer.echo(f"{'':2}{'version':<22}{'status':<12}{'excerpts':>9}{'micro-F1':>10}{'macro-F1':>10}  comparison")
    for r in rows:
        compared = (f"{r['new_score']} vs {r['old_score']} ({r['compared_to']})" if r["compared_to"] else "")
        typer.echo(f"{'*' if r['in_use'] else ' ':<2}{r['version']:<22}{r['status'] + (' (forced)' if r['forced'] else ''):<12}"
                   f"{_show(r['excerpts']):>9}{_show(r['micro_f1']):>10}{_show(r['macro_f1']):>10}  {compared}")
    typer.echo("* = in use (promoted; before any promotion the model in [suggest] model is used)")


def format_comparison(c: Any) -> str:
    verdict = ("promoted" + (" (forced, although worse)" if c.forced else "")) if c.promoted else "kept back"
    return (f"{c.new_version} vs {c.old_version} on the same {c.n_folds} informant-grouped folds "
            f"({c.n_excerpts} verified excerpts): {c.metric} {c.new_score:.1f} vs {c.old_score:.1f} -> {verdict}.")


def _show(value: Any) -> str:
    return "-" if value is None else str(value)
