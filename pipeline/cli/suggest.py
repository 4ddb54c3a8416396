"""Commands: train, suggest, evaluate, models (the code suggester over a project's verified labels)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from pipeline.cli import command
from pipeline.cli.options import CodebookOption, ConfigOption, ProjectArgument, open_project

if TYPE_CHECKING:
    from pipeline.app.train import Comparison


@command("train")
def train_command(
    project: Path = ProjectArgument,
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Model name (default: the project folder name)."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir",
                                              help="Where NAME-N/ is written (default: PROJECT/models)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Record a key,codes gold CSV as verified labels first."),
    no_evaluate: bool = typer.Option(False, "--no-evaluate", help="Skip the grouped cross-validation for the card."),
    force: bool = typer.Option(False, "--force", help="Promote the new model even if it scores worse."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Train the code suggester on verified labels, save it as a new model version, and promote it only when it
    scores better than the model in use on the same informant-grouped split (or with --force)."""
    from pipeline.app.train import default_model_name, promote_if_not_worse, record_gold_labels, train_project
    from pipeline.suggest.evaluate import format_report

    with open_project(project, config_file, codebook_file) as opened:
        if gold is not None:
            typer.echo(f"Gold: {record_gold_labels(opened, gold)} decision(s) recorded from {gold}.")
        result = train_project(opened, name or default_model_name(project), models_dir or project / "models",
                               evaluate=not no_evaluate)
        comparison = promote_if_not_worse(opened, result.model, force=force)
    if result.evaluation is not None:
        typer.echo(format_report(result.evaluation))
    counts, training = result.model.card["label_counts"], result.model.card["training"]
    carried = (f"{training['project_excerpts']} of this project, {training['carried_excerpts']} learned by "
               f"{training['carried_from']}; " if training.get("carried_excerpts") else "")
    typer.echo(f"Trained on {training['excerpts']} verified excerpts ({carried}"
               f"{sum(1 for n in counts.values() if n)} of {len(counts)} codes seen) in {result.seconds:.1f}s.")
    typer.echo(f"Wrote {result.model.path}")
    typer.echo(format_comparison(comparison))


@command("suggest")
def suggest_command(
    project: Path = ProjectArgument,
    model: Optional[Path] = typer.Option(None, "--model", "-m",
                                         help="Model folder (default: the project's promoted model, else "
                                              "[suggest] model)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Suggest codes for every current excerpt and store them (with probability, rank, origin and reasons)."""
    from pipeline.app.suggest import model_for, suggest_project

    with open_project(project, config_file, codebook_file) as opened:
        result = suggest_project(opened, model_for(opened, model))
    suggestions = result.suggestions
    n_excerpts = suggestions["excerpt_id"].nunique() if len(suggestions) else 0
    counts = suggestions["origin"].value_counts().to_dict() if len(suggestions) else {}
    origins = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    typer.echo(f"Run {result.run_id}: {len(suggestions)} suggestion(s) for {n_excerpts} excerpt(s) (model "
               f"{result.model_version}; origin {origins}).")
    for note in result.notes:
        typer.echo(f"Note: {note}")


@command("evaluate")
def evaluate_command(
    project: Path = ProjectArgument,
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    folds: Optional[int] = typer.Option(None, "--folds", help="Grouped folds (default: leave one informant out)."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Cross-validate the suggester on verified labels, grouped by informant (no informant in train and test)."""
    from pipeline.app.train import evaluate_project
    from pipeline.suggest.evaluate import format_report

    with open_project(project, config_file, codebook_file) as opened:
        evaluation = evaluate_project(opened, folds)
    typer.echo(json.dumps(evaluation.summary(), ensure_ascii=False) if as_json else format_report(evaluation))


@command("models")
def models_command(
    project: Path = ProjectArgument,
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", help="Model folders (default: PROJECT/models)."),
    promote: Optional[str] = typer.Option(None, "--promote", help="Compare this version with the model in use and "
                                                                  "promote it if it scores better."),
    force: bool = typer.Option(False, "--force", help="With --promote: promote even if it is worse."),
    codebook_file: Optional[Path] = CodebookOption,
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """List model versions with their metrics and which one is in use; promote a version when it scores better."""
    from pipeline.app.models import model_in_use, model_versions

    folder = models_dir or project / "models"
    with open_project(project, config_file, codebook_file) as opened:
        if promote:
            from pipeline.app.train import promote_version

            typer.echo(format_comparison(promote_version(opened, folder, promote, force=force)))
        rows = model_versions(opened, folder)
        typer.echo(f"In use: {model_in_use(opened)}")
    if not rows:
        typer.echo(f"No models in {folder} (train one with `reduksi train {project}`).")
        return
    typer.echo(f"{'':2}{'version':<22}{'status':<12}{'excerpts':>9}{'micro-F1':>10}{'macro-F1':>10}  comparison")
    for r in rows:
        compared = f"{r.new_score} vs {r.old_score} ({r.compared_to})" if r.compared_to else ""
        status = r.status + (" (forced)" if r.forced else "")
        typer.echo(f"{'*' if r.in_use else ' ':<2}{r.version:<22}{status:<12}{_show(r.excerpts):>9}"
                   f"{_show(r.micro_f1):>10}{_show(r.macro_f1):>10}  {compared}")
    typer.echo("* = in use (promoted; before any promotion the model in [suggest] model is used)")


def format_comparison(c: "Comparison") -> str:
    verdict = ("promoted" + (" (forced, although worse)" if c.forced else "")) if c.promoted else "kept back"
    return (f"{c.new_version} vs {c.old_version} on the same {c.n_folds} informant-grouped folds "
            f"({c.n_excerpts} verified excerpts): {c.metric} {c.new_score:.1f} vs {c.old_score:.1f} -> {verdict}.")


def _show(value: Any) -> str:
    return "-" if value is None else str(value)
