"""What the workspace keeps while it runs: the open project (one connection, used under a lock), the review session
of each reviewer, the background jobs, and the launch's secrets."""

from __future__ import annotations

import gc
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.app.jobs import Job, JobRegistry
from pipeline.app.project import Project, open_project
from pipeline.app.review import start_session
from pipeline.app.session import ReviewSession


def settle() -> None:
    """Move what is loaded so far (language tables, the model, the frames) out of the garbage collector's sight:
    a full collection over those ~500,000 objects takes a quarter of a second, which a page would otherwise pay at
    random. New objects are still collected."""
    gc.collect()
    gc.freeze()


@dataclass
class Workspace:
    project: Project
    token: str | None = None  # required on every request when the server listens beyond localhost
    lock: threading.RLock = field(default_factory=threading.RLock)
    sessions: dict[str, ReviewSession] = field(default_factory=dict)
    jobs: JobRegistry | None = None
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @classmethod
    def open(cls, folder: Path, token: str | None = None) -> "Workspace":
        workspace = cls(open_project(folder), token)
        workspace.jobs = JobRegistry(folder, on_finish=workspace.job_finished)
        return workspace

    @property
    def folder(self) -> Path:
        return self.project.folder

    def session(self, reviewer: str) -> ReviewSession:
        """The reviewer's session (call under the lock); made on first use, resuming where they stopped."""
        if reviewer not in self.sessions:
            self.sessions[reviewer] = start_session(self.project, reviewer, background=True)
            settle()
        return self.sessions[reviewer]

    def changed(self) -> None:
        """The codebook, the model or the sources changed: sessions are rebuilt on the next request."""
        self.sessions.clear()

    def job_finished(self, job: Job) -> None:
        with self.lock:
            self.reload()

    def reload(self) -> None:
        """Re-read the project's codebook and configuration (after a job) and drop the sessions."""
        fresh = open_project(self.folder)
        fresh.store.close()
        self.project.codebook, self.project.config = fresh.codebook, fresh.config
        self.changed()

    def close(self) -> None:
        self.project.store.close()
