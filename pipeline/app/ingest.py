"""Ingest transcripts, notes and documents with their metadata into a project (created when missing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.app.project import Project, recorded_run
from pipeline.ingest.batch import IngestReport, Progress, ingest, resolve_batch


@dataclass(frozen=True)
class IngestResult:
    report: IngestReport
    warnings: tuple[str, ...]


def ingest_paths(project: Project, paths: list[Path], manifest: Path | None = None,
                 progress: Progress | None = None) -> IngestResult:
    """Read every file first (a batch with any bad file stores nothing), then store the new and changed ones."""
    metas, warnings = resolve_batch(list(paths), project.config, manifest)
    with recorded_run(project, "ingest") as run_id:
        report = ingest(project.store, metas, project.config, run_id=run_id,
                        progress=progress if len(metas) >= project.config.ingest.progress_min_files else None)
    return IngestResult(report, (*warnings, *report.warnings))
