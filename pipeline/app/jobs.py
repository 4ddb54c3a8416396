"""Long jobs started from a shell that should not wait for them (the web workspace): ingest, suggest, train, export.

Each job runs in its own thread on its own connection to the project (SQLite queues the writers) and reports its
progress into a `Job` record that any page can read, so a reviewer can leave the job's page and come back. The jobs
are the same use cases the CLI calls; a failed job keeps the use case's error messages, one per problem.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.app.project import Project, open_project
from pipeline.errors import BatchIngestError, ReduksiError
from pipeline.records import SourceMeta

KINDS = ("ingest", "suggest", "cluster", "train", "export")


@dataclass
class Job:
    id: int
    kind: str
    status: str = "running"  # running | done | failed
    done: int = 0
    total: int | None = None  # None: no count known (the page shows a moving bar)
    step: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def percent(self) -> int | None:
        if self.status != "running":
            return 100
        return None if not self.total else int(100 * self.done / self.total)


Work = Callable[[Project, Job], dict[str, Any]]


class JobRegistry:
    """The jobs of one project in this process; `on_finish` runs after each job (e.g. to drop cached sessions)."""

    def __init__(self, folder: Path, on_finish: Callable[[Job], None] | None = None) -> None:
        self.folder = folder
        self.on_finish = on_finish
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def start(self, kind: str, work: Work) -> Job:
        with self._lock:
            job = Job(next(self._ids), kind)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work), name=f"reduksi-job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: -j.id)

    def running(self) -> list[Job]:
        return [j for j in self.all() if j.status == "running"]

    def _run(self, job: Job, work: Work) -> None:
        try:
            with open_project(self.folder) as project:
                job.result = work(project, job)
            job.status = "done"
        except BatchIngestError as error:
            job.errors, job.status = [str(e) for e in error.errors], "failed"
        except ReduksiError as error:
            job.errors, job.status = [str(error)], "failed"
        except Exception as error:  # a job must never die silently: the page shows what went wrong
            job.errors, job.status = [f"{type(error).__name__}: {error}"], "failed"
        finally:
            job.finished = time.time()
            if self.on_finish is not None:
                self.on_finish(job)


def ingest_work(paths: list[Path], manifest: Path | None) -> Work:
    """Ingest files (all or nothing), counting files as they are stored."""
    from pipeline.app.ingest import ingest_paths

    def work(project: Project, job: Job) -> dict[str, Any]:
        def progress(items: Iterable[SourceMeta]) -> Iterator[SourceMeta]:
            listed = list(items)
            job.total, job.step = len(listed), "ingest"
            for meta in listed:
                yield meta
                job.done += 1

        result = ingest_paths(project, paths, manifest, progress)
        from pipeline.ingest.quality import report_frame

        report = result.report
        return {"added": [f"{n} v{v}" for n, v in report.added], "unchanged": list(report.unchanged),
                "excerpts": report.excerpts, "warnings": list(result.warnings),
                "report": report_frame(report.files).to_dict("records")}

    return work


def suggest_work(project: Project, job: Job) -> dict[str, Any]:
    from pipeline.app.suggest import model_for, suggest_project

    job.step = "suggest"
    result = suggest_project(project, model_for(project))
    return {"model": result.model_version, "suggestions": len(result.suggestions), "notes": list(result.notes)}


def cluster_work(project: Project, job: Job) -> dict[str, Any]:
    """Cluster into the project folder (where Kodebuku finds the candidate themes to adopt)."""
    from pipeline.app.cluster import cluster_project

    job.step = "cluster"
    result, files = cluster_project(project, project.folder)
    summary = result.summary
    return {"clusters": int((summary["cluster"] >= 0).sum()),
            "candidate_themes": int(summary["candidate_new_theme"].sum()), "files": [str(f) for f in files]}


def train_work(project: Project, job: Job) -> dict[str, Any]:
    from pipeline.app.train import default_model_name, promote_if_not_worse, train_project

    job.step = "train"
    result = train_project(project, default_model_name(project.folder), project.folder / "models")
    job.step = "compare"
    comparison = promote_if_not_worse(project, result.model)
    return {"model": result.model.version, "promoted": comparison.promoted, "metric": comparison.metric,
            "old": round(comparison.old_score, 3), "new": round(comparison.new_score, 3)}


EXPORT_FOLDER = "ekspor"


def export_work(formats: tuple[str, ...], *, real_names: bool = False, lang: str | None = None) -> Work:
    from pipeline.app.export import export_project

    def work(project: Project, job: Job) -> dict[str, Any]:
        job.step, job.total = "export", len(formats)
        written: list[str] = []
        for fmt in formats:
            written += [str(p) for p in export_project(project, project.folder / EXPORT_FOLDER, (fmt,),
                                                       real_names=real_names, lang=lang)]
            job.done += 1
        return {"files": written}

    return work


def exported_files(project: Project) -> list[Path]:
    """The files the workspace's exports wrote (PROJECT/ekspor), newest first."""
    folder = project.folder / EXPORT_FOLDER
    found = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def exported_file(project: Project, name: str) -> Path:
    """One exported file by its bare name (never a path out of the export folder)."""
    from pipeline.errors import ExportError

    match = [p for p in exported_files(project) if p.name == name]
    if not match:
        raise ExportError(f"no exported file '{name}'")
    return match[0]
