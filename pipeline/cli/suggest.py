"""Commands: train, suggest, evaluate (the code suggester over a project's verified labels)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli import command
from pipeline.cli.project import ConfigOption
from pipeline.codebook import load_codebook
from pipeline.config import load_config
from pipeline.store import Store

ProjectArgument = typer.Argument(..., help="Project folder (made by `reduksi ingest` or `reduksi run`).")


@command("train")
def train_command(
    project: Path = ProjectArgument,
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Model name (default: the project folder name)."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir",
                                              help="Where NAME-N/ is written (default: PROJECT/models)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Record a key,codes gold CSV as verified labels first."),
    no_evaluate: bool = typer.Option(False, "--no-evaluate", help="Skip the grouped cross-validation for the card."),
    force: bool = typer.Option(False, "--force", help="Promote the new model even if it scores worse."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Train the code suggester on verified labels, save it as a new model version, and promote it only when it
    is not worse than the model in use on the same informant-grouped split (or with --force)."""
    from pipeline.cli.review import format_comparison
    from pipeline.review.retrain import promote_if_not_worse
    from pipeline.store.labels import record_gold
    from pipeline.suggest.evaluate import format_report
    from pipeline.suggest.project import train_project

    config = load_config(config_file)
    codebook = load_codebook(config.path(config.suggest.codebook))
    with Store.open(project) as store:
        if gold is not None:
            typer.echo(f"Gold: {record_gold(store, gold, codebook=codebook)} decision(s) recorded from {gold}.")
        result = train_project(store, codebook, config, name or _default_name(project),
                               models_dir or project / "models", evaluate=not no_evaluate)
        comparison = promote_if_not_worse(store, codebook, config, result.model, force=force)
    if result.evaluation is not None:
        typer.echo(format_report(result.evaluation))
    counts = result.model.card["label_counts"]
    typer.echo(f"Trained on {result.model.card['training']['excerpts']} verified excerpts "
               f"({sum(1 for n in counts.values() if n)} of {len(counts)} codes seen) in {result.seconds:.1f}s.")
    typer.echo(f"Wrote {result.model.path}")
    typer.echo(format_comparison(comparison))


@command("suggest")
def suggest_command(
    project: Path = ProjectArgument,
    model: Optional[Path] = typer.Option(None, "--model", "-m",
                                         help="Model folder (default: the project's promoted model, else [suggest] model)."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Suggest codes for every current excerpt and store them (with probability, rank, origin and reasons)."""
    from pipeline.review.retrain import in_use_model
    from pipeline.suggest import load_model
    from pipeline.suggest.project import suggest_project

    config = load_config(config_file)
    codebook = load_codebook(config.path(config.suggest.codebook))
    with Store.open(project) as store:
        loaded = load_model(model, codebook) if model else in_use_model(store, config, codebook)
        run_id, suggestions = suggest_project(store, codebook, config, loaded)
    n_excerpts = suggestions["excerpt_id"].nunique() if len(suggestions) else 0
    origins = suggestions["origin"].value_counts().to_dict() if len(suggestions) else {}
    typer.echo(f"Run {run_id}: {len(suggestions)} suggestion(s) for {n_excerpts} excerpt(s) "
               f"(model {loaded.version if loaded else f'codebook-{codebook.version}'}; "
               f"origin {', '.join(f'{k} {v}' for k, v in sorted(origins.items())) or 'none'}).")


@command("evaluate")
def evaluate_command(
    project: Path = ProjectArgument,
    folds: Optional[int] = typer.Option(None, "--folds", help="Grouped folds (default: leave one informant out)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    config_file: Optional[Path] = ConfigOption,
) -> None:
    """Cross-validate the suggester on verified labels, grouped by informant (no informant in train and test)."""
    from pipeline.suggest.evaluate import format_report
    from pipeline.suggest.project import evaluate_project

    config = load_config(config_file)
    codebook = load_codebook(config.path(config.suggest.codebook))
    with Store.open(project) as store:
        evaluation = evaluate_project(store, codebook, config, folds)
    typer.echo(json.dumps(evaluation.summary(), ensure_ascii=False) if as_json else format_report(evaluation))


def _default_name(project: Path) -> str:
    cleaned = "".join(c if c.isalnum() or c in "_." else "_" for c in project.resolve().name.lower())
    return cleaned.strip("_.") or "model"
