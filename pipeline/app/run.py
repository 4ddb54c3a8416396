"""The main job, `reduksi run CORPUS --out OUT`: ingest -> tokenize -> suggest -> cluster -> write reduced data.

The output folder becomes the project, holding its config and codebook. The codebook: `--codebook`, else the
project's own, else `CORPUS/codebook.yaml`, else none (open coding: clusters and candidate themes, no code
suggestions). A stage that needs more data than a small batch holds (clustering) is skipped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.app.cluster import with_irrelevant
from pipeline.app.export import export_project
from pipeline.app.ingest import write_ingest_outputs
from pipeline.app.names import private_clusters, project_privacy
from pipeline.app.project import (
    CODEBOOK_FILE,
    OPEN_CODING,
    Project,
    init_project,
    project_codebook,
    project_config,
    recorded_run,
)
from pipeline.app.suggest import model_for
from pipeline.config import config_to_toml
from pipeline.errors import TooFewExcerpts
from pipeline.export.privacy import pseudonymised
from pipeline.export.safety import safe_frame
from pipeline.ingest.batch import IngestReport, Progress, ingest, resolve_batch
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.suggestions import save_suggestions
from pipeline.suggest import registry


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
    notes: tuple[str, ...] = field(default=())  # stages skipped and why


def run_job(corpus: str | Path, out: str | Path, config_file: str | Path | None = None,
            codebook_file: str | Path | None = None, *, progress: Progress | None = None) -> RunSummary:
    from pipeline import cluster as cluster_stage
    from pipeline.language import backend_from_config
    from pipeline.suggest.stage import run as suggest

    out = Path(out)
    config = project_config(out, config_file)
    batch = resolve_batch([corpus], config)
    metas, warnings = batch.metas, batch.warnings
    if codebook_file is None and not (out / CODEBOOK_FILE).is_file() and (Path(corpus) / CODEBOOK_FILE).is_file():
        codebook_file = Path(corpus) / CODEBOOK_FILE
    backend = backend_from_config(config)
    store = init_project(out, codebook_file)
    project = Project(store, config, project_codebook(out, config, codebook_file))
    notes: list[str] = [OPEN_CODING] if project.codebook.is_empty else []
    with project, recorded_run(project, "run", backend.name) as run_id:
        report = ingest(project.store, metas, config, run_id=run_id,
                        progress=progress if len(metas) >= config.ingest.progress_min_files else None)
        excerpts = excerpts_frame(project.store)
        tokens = list(backend.tokenize_many(excerpts["text"].tolist()))
        model = model_for(project)
        suggestions = suggest(excerpts, project.codebook, config.suggest, model)
        save_suggestions(project.store, run_id, suggestions, project.codebook.version)
        n_clusters = themes = 0
        cluster_files: list[Path] = []
        try:
            marked = with_irrelevant(project.store, excerpts, suggestions, config.cluster.confident_probability)
            clusters = cluster_stage.run(marked, tokens, suggestions, config.cluster,
                                         open_coding=project.codebook.is_empty)
        except TooFewExcerpts as skipped:
            notes.append(f"clustering skipped: {skipped.message}")
        else:  # written before the report, which shows the cluster map
            privacy = project_privacy(project).pseudonymiser
            cluster_files = list(cluster_stage.write_outputs(private_clusters(clusters, privacy), out).values())
            n_clusters = int((clusters.summary["cluster"] >= 0).sum())
            themes = int(clusters.summary["candidate_new_theme"].sum())
        files = [*write_outputs(project, out, excerpts, suggestions), *cluster_files,
                 *write_ingest_outputs(out, batch, report)]
    return RunSummary(out=out, ingest=report, backend=backend.name, n_excerpts=len(excerpts),
                      n_tokens=sum(map(len, tokens)),
                      n_suggested=int(suggestions["excerpt_id"].nunique()) if len(suggestions) else 0,
                      model_version=registry.model_version(model, project.codebook), n_clusters=n_clusters,
                      candidate_themes=themes, files=tuple(files), warnings=(*warnings, *report.warnings),
                      notes=tuple(notes))


def write_outputs(project: Project, out: Path, excerpts: pd.DataFrame, suggestions: pd.DataFrame
                  ) -> tuple[Path, ...]:
    """`excerpts.csv` (one row per excerpt with its suggested codes and scores; real names pseudonymised and cells
    guarded against formula injection), the resolved config, and the displays and triangulation table in
    `[export] run_formats` (pseudonymised)."""
    out.mkdir(parents=True, exist_ok=True)
    privacy = project_privacy(project).pseudonymiser
    table = pseudonymised(excerpts_with_suggestions(excerpts, suggestions), privacy, ("speaker", "text"))
    table["reasons"] = table["reasons"].map(privacy.terms)
    excerpts_csv = out / "excerpts.csv"
    safe_frame(table).to_csv(excerpts_csv, index=False, encoding="utf-8-sig")  # BOM: Excel reads UTF-8 right
    config_file = out / "config.resolved.toml"
    config_file.write_text(config_to_toml(project.config), encoding="utf-8")
    return excerpts_csv, config_file, *export_project(project, out, project.config.export.run_formats)


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
