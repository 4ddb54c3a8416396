"""The main job, `reduksi run CORPUS --out OUT`: ingest -> tokenize -> suggest -> cluster -> write reduced data.

Each step is a plain function over the project store and frames; the CLI only prints what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline import cluster as cluster_stage
from pipeline.codebook import Codebook, load_codebook
from pipeline.config import Config, config_to_toml
from pipeline.export.csv_files import safe_frame
from pipeline.export.privacy import Pseudonymiser
from pipeline.ingest.batch import IngestReport, Progress, ingest, resolve_batch
from pipeline.language import backend_from_config
from pipeline.store import Store
from pipeline.store.codebooks import record_codebook
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
    n_clusters: int = 0
    candidate_themes: int = 0  # clusters whose excerpts mostly lack a confident code
    files: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def run_job(corpus: str | Path, out: str | Path, config: Config, *, progress: Progress | None = None) -> RunSummary:
    out = Path(out)
    metas, warnings = resolve_batch([corpus], config)
    backend = backend_from_config(config)
    codebook = load_codebook(config.path(config.suggest.codebook))
    with Store.init(out) as store:
        run_id = start_run(store, "run", config_to_toml(config), backend.name)
        try:
            report = ingest(store, metas, config, run_id=run_id, progress=progress)
            excerpts = excerpts_frame(store)
            tokens = list(backend.tokenize_many(excerpts["text"].tolist()))
            suggestions, model_version = _suggest(store, run_id, excerpts, codebook, config)
            clusters = cluster_stage.run(excerpts, tokens, suggestions, config.cluster)
            cluster_files = tuple(cluster_stage.write_outputs(clusters, out).values())
            files = (*write_outputs(out, excerpts, suggestions, config, store, codebook), *cluster_files)
        except BaseException:
            finish_run(store, run_id, "failed")
            raise
        finish_run(store, run_id)
    return RunSummary(out=out, ingest=report, backend=backend.name, n_excerpts=len(excerpts),
                      n_tokens=sum(map(len, tokens)),
                      n_suggested=int(suggestions["excerpt_id"].nunique()) if len(suggestions) else 0,
                      model_version=model_version, n_clusters=int((clusters.summary["cluster"] >= 0).sum()),
                      candidate_themes=int(clusters.summary["candidate_new_theme"].sum()), files=files,
                      warnings=(*warnings, *report.warnings))


def _suggest(store: Store, run_id: int, excerpts: pd.DataFrame, codebook: Codebook,
             config: Config) -> tuple[pd.DataFrame, str]:
    from pipeline import suggest
    from pipeline.review.retrain import in_use_model
    from pipeline.store.suggestions import save_suggestions

    model = in_use_model(store, config, codebook)  # the project's promoted model, else [suggest] model
    suggestions = suggest.run(excerpts, codebook, config.suggest, model)
    with store.transaction() as db:
        record_codebook(db, codebook)
    save_suggestions(store, run_id, suggestions, codebook.version)
    version = model.version if model is not None else f"codebook-{codebook.version}"
    return suggestions, version


def write_outputs(out: Path, excerpts: pd.DataFrame, suggestions: pd.DataFrame, config: Config,
                  store: Store | None = None, codebook: Codebook | None = None) -> tuple[Path, ...]:
    """`excerpts.csv` (one row per excerpt with its suggested codes and scores; real names pseudonymised and cells
    guarded against formula injection) and the resolved config; with the
    store, also the displays and triangulation table in `[export] run_formats` (pseudonymised)."""
    out.mkdir(parents=True, exist_ok=True)
    table = excerpts_with_suggestions(excerpts, suggestions)
    if store is not None:
        table = pseudonymised(table, _pseudonymiser(store), ("speaker", "text", "reasons"))
    excerpts_csv = out / "excerpts.csv"
    safe_frame(table).to_csv(excerpts_csv, index=False, encoding="utf-8-sig")  # BOM: Excel reads UTF-8 right
    config_file = out / "config.resolved.toml"
    config_file.write_text(config_to_toml(config), encoding="utf-8")
    if store is None:
        return excerpts_csv, config_file
    from pipeline.export import export_project

    codebook = codebook or load_codebook(config.path(config.suggest.codebook))
    return excerpts_csv, config_file, *export_project(store, config, codebook, out, config.export.run_formats)


def _pseudonymiser(store: Store) -> Pseudonymiser:
    rows = store.db.execute("SELECT id, real_name FROM informants").fetchall()
    return Pseudonymiser.from_informants((row[0], row[1]) for row in rows)


def pseudonymised(table: pd.DataFrame, privacy: Pseudonymiser, columns: tuple[str, ...]) -> pd.DataFrame:
    """Real names from the manifest replaced by pseudonym ids in the given text columns (offsets still point into
    the stored source, whose slice pseudonymised the same way gives the cell)."""
    table = table.copy()
    for column in columns:
        table[column] = table[column].map(lambda value: privacy.text(value) if isinstance(value, str) else value)
    return table


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
