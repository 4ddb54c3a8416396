"""Review use cases: the queue a reviewer answers, a review session, the spreadsheet round trip, double coding.

The stages they call (`review_queue`, `spreadsheet`, `assign.plan`) see only frames; decisions reach the log
through `pipeline.store.decisions` inside one transaction each.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from pipeline.app.project import Project
from pipeline.app.session import ReviewSession
from pipeline.app.suggest import current_suggestions
from pipeline.errors import ModelError, ReviewError
from pipeline.review import review_queue
from pipeline.review.assign import Assignment, plan
from pipeline.review.review_queue import QueueFilter
from pipeline.review.spreadsheet import ImportReport, export_sheet, plan_import
from pipeline.store import decisions
from pipeline.store import review as review_store
from pipeline.store.excerpts import excerpts_frame
from pipeline.suggest import registry
from pipeline.suggest.persist import SuggestModel

__all__ = ["AssignResult", "BackgroundRanker", "QueueFilter", "ReviewPlan", "SheetExport", "assign_round",
           "bookmark", "build_queue", "export_review_sheet", "import_review_sheet", "resume_order", "review_plan",
           "session_requeue", "start_session"]


@dataclass(frozen=True)
class ReviewPlan:
    """What a reviewer sees: the model in use, its current suggestions, the ordered and filtered queue."""

    model: SuggestModel | None
    model_version: str
    suggestions: pd.DataFrame
    queue: pd.DataFrame

    @property
    def order(self) -> list[int]:
        return [int(e) for e in self.queue["excerpt_id"]]


class SheetExport(NamedTuple):
    """A review workbook written for a reviewer, and how many excerpts it holds."""

    path: Path
    excerpts: int


class AssignResult(NamedTuple):
    """One double-coding round: its name and who codes which excerpt."""

    round: str
    assignments: list[Assignment]


def build_queue(project: Project, reviewer: str | None, model: SuggestModel | None,
                where: QueueFilter = QueueFilter(),
                assigned_only: bool = True) -> pd.DataFrame:
    """The reviewer's queue: current excerpts they have not verified, restricted to their assignments if any."""
    excerpts = excerpts_frame(project.store)
    scores = review_queue.score(excerpts, project.codebook, project.config.suggest, model)
    state = decisions.label_state(project.store)
    done = state.by_reviewer.get(reviewer, {}) if reviewer else state.labels
    only = review_store.assigned_to(project.store, reviewer) if reviewer and assigned_only else None
    verified = Counter(code for codes in state.labels.values() for code in codes)
    queue = review_queue.run(excerpts, scores, project.config.review, verified_counts=verified, exclude=done,
                             only=only, where=where, min_score=project.config.suggest.min_score)
    return irrelevant_last(queue, state.irrelevant)


def irrelevant_last(queue: pd.DataFrame, irrelevant: frozenset[int]) -> pd.DataFrame:
    """Excerpts marked "tidak relevan" count as non-substantive: after the substantive ones, order kept (the queue
    stage already put the rule's non-substantive excerpts last; a stable sort keeps that order)."""
    if not irrelevant:
        return queue
    flags = queue["non_substantive"].fillna(False).astype(bool) | queue["excerpt_id"].isin(irrelevant)
    return queue.assign(non_substantive=flags).sort_values("non_substantive", kind="stable").reset_index(drop=True)


def review_plan(project: Project, reviewer: str, where: QueueFilter = QueueFilter(),
                assigned_only: bool = True) -> ReviewPlan:
    if project.codebook.is_empty:
        raise ReviewError("the project has no codebook to review against", file=project.folder,
                          hint="write one (see codebook.template.yaml) and save it as codebook.yaml in the project")
    model = registry.in_use_model(project.store, project.config, project.codebook)
    suggestions = current_suggestions(project, model)
    queue = build_queue(project, reviewer, model, where, assigned_only=assigned_only)
    return ReviewPlan(model, registry.model_version(model, project.codebook), suggestions, queue)


def session_requeue(project: Project, reviewer: str, where: QueueFilter = QueueFilter(),
                    assigned_only: bool = True) -> Callable[[], list[int]]:
    """For a review session: a function that refits the suggester in memory on every verified label (the
    unverified excerpts as `unlabelled`) and returns the reviewer's queue ranked by it. No model version is
    written; with nothing verified yet it ranks with the model in use."""
    from pipeline.app.train import project_training_data
    from pipeline.suggest.training import make_estimator

    def ranked() -> list[int]:
        try:
            data = project_training_data(project)
        except ModelError:  # e.g. a label outside the codebook: keep reviewing in the current order
            return []
        model: SuggestModel | None
        if len(data.excerpts):
            estimator = make_estimator(project.codebook, project.config).fit(
                data.excerpts, data.Y, groups=data.groups, unlabelled=data.unlabelled)
            model = SuggestModel(version="session", path=project.folder, estimator=estimator, card={})
        else:
            model = registry.in_use_model(project.store, project.config, project.codebook)
        queue = build_queue(project, reviewer, model, where, assigned_only=assigned_only)
        return [int(e) for e in queue["excerpt_id"]]

    return ranked


def start_session(project: Project, reviewer: str, where: QueueFilter = QueueFilter(),
                  assigned_only: bool = True, *, background: bool = False) -> ReviewSession:
    """A review session over the reviewer's queue, resuming at the excerpt they stopped at; re-ranked every
    `[review] requeue_every` decisions: in line (the terminal), or with `background` in a thread on its own
    connection, the new order taken at the first decision after it is ready (the web, so no key waits for a
    refit)."""
    shown = review_plan(project, reviewer, where, assigned_only)
    if background:
        ranker = BackgroundRanker(project.folder, reviewer, where, assigned_only)
        requeue, later = ranker.start, ranker.take
    else:
        requeue, later = session_requeue(project, reviewer, where, assigned_only=assigned_only), None
    return ReviewSession(project.store, project.codebook, reviewer, resume_order(project, reviewer, shown.order),
                         excerpts_frame(project.store), shown.suggestions, shown.model_version,
                         requeue=requeue, requeue_every=project.config.review.requeue_every, ranked_later=later)


class BackgroundRanker:
    """`session_requeue` in a thread, on the project opened again (its own store connection): `start` begins a
    re-rank (unless one is running) and returns no order; `take` returns the finished order once, else None."""

    def __init__(self, folder: Path, reviewer: str, where: QueueFilter, assigned_only: bool) -> None:
        self.folder, self.reviewer, self.where, self.assigned_only = folder, reviewer, where, assigned_only
        self._thread: threading.Thread | None = None
        self._ready: list[int] | None = None

    def start(self) -> list[int]:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._rank, name="reduksi-rerank", daemon=True)
            self._thread.start()
        return []

    def take(self) -> list[int] | None:
        ready, self._ready = self._ready, None
        return ready

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _rank(self) -> None:
        from pipeline.app.project import open_project

        with open_project(self.folder) as project:
            self._ready = session_requeue(project, self.reviewer, self.where, self.assigned_only)()


def bookmark(project: Project, reviewer: str, excerpt_id: int) -> None:
    """Remember the excerpt on screen when the reviewer stopped."""
    review_store.add_bookmark(project.store, reviewer, excerpt_id)


def resume_order(project: Project, reviewer: str, order: list[int]) -> list[int]:
    """The queue with the excerpt the reviewer stopped at first (when it is still to do)."""
    last = review_store.last_bookmark(project.store, reviewer)
    if last is None or last not in order:
        return order
    return [last, *(e for e in order if e != last)]


def export_review_sheet(project: Project, reviewer: str, out: Path | None = None, limit: int | None = None,
                        where: QueueFilter = QueueFilter(),
                        assigned_only: bool = True) -> SheetExport:
    """Write the reviewer's most useful excerpts to a review workbook (default `review-REVIEWER.xlsx`)."""
    shown = review_plan(project, reviewer, where, assigned_only)
    order = shown.order[:limit]
    excerpts = excerpts_frame(project.store).set_index("excerpt_id").loc[order].reset_index()
    labels = decisions.current_labels(project.store, reviewer=reviewer)
    default = Path("review-" + re.sub(r"[^\w.-]+", "-", reviewer) + ".xlsx")
    path = export_sheet(out or default, excerpts, shown.suggestions, project.codebook, reviewer=reviewer,
                        labels=labels, project=str(project.folder))
    return SheetExport(path, len(excerpts))


def import_review_sheet(project: Project, sheet: str | Path, reviewer: str | None = None) -> ImportReport:
    """Validate the whole sheet, then append every decision in one transaction (all or nothing)."""
    current = excerpts_frame(project.store).set_index("excerpt_id")
    planned, n_rows, name = plan_import(current, project.codebook, sheet, reviewer)
    with project.store.transaction():
        decisions.append(project.store, planned, known_codes=project.codebook.ids)
    return ImportReport(rows=n_rows, decided=len({d.excerpt_id for d in planned}), decisions=len(planned),
                        reviewer=name)


def assign_round(project: Project, reviewers: tuple[str, ...], overlap: float | None = None,
                 size: int | None = None, seed: int | None = None) -> AssignResult:
    """Double coding: split unverified, unassigned excerpts among reviewers with an overlapping sample."""
    review = project.config.review
    taken = review_store.assigned_ids(project.store) | set(decisions.current_labels(project.store))
    candidates = [int(e) for e in excerpts_frame(project.store)["excerpt_id"] if int(e) not in taken]
    planned = plan(candidates, reviewers, review.overlap if overlap is None else overlap,
                   review.seed if seed is None else seed, size)
    if not planned:
        raise ReviewError("no excerpts to assign", hint="every current excerpt is already verified or assigned")
    name = review_store.add_assignments(project.store, ((a.excerpt_id, a.reviewer, a.overlap) for a in planned))
    return AssignResult(name, planned)


def warm_up(folder: Path) -> None:
    """Load what a first review session needs (the language backend, the model in use) into this process, on a
    connection of its own, so the first visit to the review page does not wait for them. Anything that fails here
    fails again, with its message, when the page asks for it."""
    from pipeline.app.project import open_project
    from pipeline.suggest.features import Lemmatizer

    try:
        with open_project(folder) as project:
            Lemmatizer(project.config.suggest.lemma_backend).lemma_text("guru mengajar")
            registry.in_use_model(project.store, project.config, project.codebook)
    except Exception:  # noqa: BLE001 — a warm-up only; the page reports the real error
        return
