"""Ingest transcripts, notes and documents with their metadata into a project (created when missing); preview how
files will be read without storing anything (`inspect_files`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.app.project import Project, project_config, recorded_run
from pipeline.ingest.batch import IngestReport, Progress, ResolvedBatch, ingest, resolve_batch
from pipeline.ingest.infer import INFERRED_NAME, write_inferred_manifest
from pipeline.ingest.inspect import FileInspection, inspect_paths, render
from pipeline.ingest.quality import report_frame

REPORT_NAME = "ingest_report.csv"
__all__ = ["IngestResult", "FileInspection", "ingest_paths", "inspect_files", "render", "write_ingest_outputs"]


@dataclass(frozen=True)
class IngestResult:
    report: IngestReport
    warnings: tuple[str, ...]
    files: tuple[Path, ...] = ()  # ingest_report.csv, and manifest.inferred.csv when rows were inferred


def ingest_paths(project: Project, paths: list[Path], manifest: Path | None = None,
                 progress: Progress | None = None) -> IngestResult:
    """Read every file first (a batch with any bad file stores nothing), then store the new and changed ones; write
    the ingest report (and the inferred manifest, for files without one) into the project folder."""
    batch = resolve_batch(list(paths), project.config, manifest)
    with recorded_run(project, "ingest") as run_id:
        report = ingest(project.store, batch.metas, project.config, run_id=run_id,
                        progress=progress if len(batch.metas) >= project.config.ingest.progress_min_files else None)
    files = write_ingest_outputs(project.folder, batch, report)
    return IngestResult(report, (*batch.warnings, *report.warnings), files)


def write_ingest_outputs(folder: Path, batch: ResolvedBatch, report: IngestReport) -> tuple[Path, ...]:
    """`ingest_report.csv` (file, convention, turns, informant words, warnings) and, when a manifest was inferred,
    `manifest.inferred.csv` for the researcher to correct and reuse."""
    from pipeline.export.safety import safe_frame

    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / REPORT_NAME]
    safe_frame(report_frame(report.files)).to_csv(written[0], index=False, encoding="utf-8-sig")
    if batch.inferred:
        written.append(write_inferred_manifest(list(batch.inferred), folder / INFERRED_NAME))
    return tuple(written)


def inspect_files(paths: list[Path], config_file: Path | None = None, manifest: Path | None = None,
                  n_turns: int = 6) -> list[FileInspection]:
    """How each file will be read (convention, speakers and roles, counts, metadata, dropped lines, first turns);
    touches no store."""
    return inspect_paths(list(paths), project_config(Path("."), config_file), manifest=manifest, n_turns=n_turns)
