"""The main job, `reduksi run CORPUS --out OUT`: ingest -> tokenize -> suggest -> write reduced data.

Each step is a plain function over the project store and frames; the CLI only prints what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.codebook import load_codebook
from pipeline.config import Config, config_to_toml
from pipeline.ingest.batch import IngestReport, Progress, ingest, resolve_batch
from pipeline.language import load_backend
from pipeline.store import Store
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.runs import finish_run, start_run


@dataclass(frozen=True)
class RunSummary:
    out: Path
    ingest: IngestReport
    backend: str
    n_excerpts: int
    n_tokens: int
    n_suggested: int  # excerpts with at least one suggested code
    model_version: str
    files: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def run_job(corpus: str | Path, out: str | Path, config: Config, *, progress: Progress | None = None) -> RunSummary:
    out = Path(out)
    metas, warnings = resolve_batch([corpus], config)
    backend = load_backend(config.language.backend, **_backend_options(config))
    with Store.init(out) as store:
        run_id = start_run(store, "run", config_to_toml(config), backend.name)
        try:
            report = ingest(store, metas, config, run_id=run_id, progress=progress)
            excerpts = excerpts_frame(store)
            n_tokens = sum(len(tokens) for tokens in backend.tokenize_many(excerpts["text"].tolist()))
            suggestions, model_version = _suggest(store, run_id, excerpts, config)
            files = write_outputs(out, excerpts, suggestions, config)
        except BaseException:
            finish_run(store, run_id, "failed")
            raise
        finish_run(store, run_id)
    return RunSummary(out=out, ingest=report, backend=backend.name, n_excerpts=len(excerpts), n_tokens=n_tokens,
                      n_suggested=int(suggestions["excerpt_id"].nunique()) if len(suggestions) else 0,
                      model_version=model_version, files=files, warnings=(*warnings, *report.warnings))


def _backend_options(config: Config) -> dict[str, object]:
    if config.language.backend == "stanza":
        return {"model_dir": config.path(config.language.stanza_model_dir)}
    return {}


def _suggest(store: Store, run_id: int, excerpts: pd.DataFrame, config: Config) -> tuple[pd.DataFrame, str]:
    from pipeline import suggest
    from pipeline.store.suggestions import save_suggestions

    codebook = load_codebook(config.path(config.suggest.codebook))
    model = suggest.load_configured_model(config, codebook)
    suggestions = suggest.run(excerpts, codebook, config.suggest, model)
    save_suggestions(store, run_id, suggestions, codebook.version)
    version = str(suggestions["model_version"].iloc[0]) if len(suggestions) else suggest.model_version(model)
    return suggestions, version


def write_outputs(out: Path, excerpts: pd.DataFrame, suggestions: pd.DataFrame, config: Config) -> tuple[Path, ...]:
    """`excerpts.csv` (one row per excerpt with its suggested codes and scores) and the resolved config."""
    out.mkdir(parents=True, exist_ok=True)
    table = excerpts_with_suggestions(excerpts, suggestions)
    excerpts_csv = out / "excerpts.csv"
    table.to_csv(excerpts_csv, index=False)
    config_file = out / "config.resolved.toml"
    config_file.write_text(config_to_toml(config), encoding="utf-8")
    return excerpts_csv, config_file


def excerpts_with_suggestions(excerpts: pd.DataFrame, suggestions: pd.DataFrame) -> pd.DataFrame:
    columns = ["key", "source", "informant", "role", "site", "method", "date", "speaker", "start", "end", "text"]
    table = excerpts[["excerpt_id", *columns]].copy()
    if len(suggestions):
        ranked = suggestions.sort_values(["excerpt_id", "rank"])
        grouped = ranked.groupby("excerpt_id")
        table["suggested_codes"] = table["excerpt_id"].map(grouped["code"].agg(";".join)).fillna("")
        table["scores"] = table["excerpt_id"].map(
            grouped["probability"].agg(lambda p: ";".join(f"{x:.2f}" for x in p))).fillna("")
        table["reasons"] = table["excerpt_id"].map(
            grouped["reasons"].agg(lambda rs: " | ".join(", ".join(r) for r in rs))).fillna("")
    else:
        table["suggested_codes"] = table["scores"] = table["reasons"] = ""
    return table.drop(columns=["excerpt_id"])
