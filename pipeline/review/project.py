"""Review over a project store: the model in use, the suggestions a reviewer answers, the queue, the codings.

The CLI (`pipeline/cli/review.py`) is a thin shell over these functions; the stages they call (`review_queue.run`,
`agreement.run`) see only frames.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.errors import ModelError
from pipeline.review import agreement, review_queue
from pipeline.store import Store, decisions
from pipeline.store.excerpts import excerpts_frame


def active_model(store: Store, config: Config, codebook: Codebook) -> Any:
    """The project's promoted model, else the one named in `[suggest] model`, else None (codebook only)."""
    from pipeline.review.retrain import in_use_model

    return in_use_model(store, config, codebook)


def model_version(model: Any, codebook: Codebook) -> str:
    return model.version if model is not None else f"codebook-{codebook.version}"


def current_suggestions(store: Store, codebook: Codebook, config: Config, model: Any) -> pd.DataFrame:
    """Each current excerpt's stored suggestions from the latest run; a new suggest run is made first when there is
    none yet, when it came from another model, or when sources were ingested after it."""
    from pipeline.store.suggestions import load_suggestions
    from pipeline.suggest.project import suggest_project

    version = model_version(model, codebook)
    if _needs_suggest_run(store, version):
        suggest_project(store, codebook, config, model)
    stored = load_suggestions(store)
    current = set(excerpts_frame(store)["excerpt_id"])
    return stored[stored["excerpt_id"].isin(current)].reset_index(drop=True)


def _needs_suggest_run(store: Store, version: str) -> bool:
    row = store.db.execute(
        "SELECT s.run_id, s.model_version FROM suggestions s ORDER BY s.run_id DESC LIMIT 1").fetchone()
    if row is None or row["model_version"] != version:
        return True
    newest_source = store.db.execute("SELECT COALESCE(MAX(run_id), 0) FROM sources").fetchone()[0]
    return int(newest_source or 0) > int(row["run_id"])


def assigned_to(store: Store, reviewer: str) -> set[int] | None:
    """Excerpt ids assigned to the reviewer by `reduksi assign`, or None when nothing was ever assigned to them."""
    rows = store.db.execute("SELECT excerpt_id FROM review_assignments WHERE reviewer = ?", (reviewer,)).fetchall()
    return {int(r[0]) for r in rows} if rows else None


def bookmark(store: Store, reviewer: str, excerpt_id: int) -> None:
    """Remember the excerpt on screen when the reviewer stopped."""
    from pipeline.store.db import now

    with store.transaction() as db:
        db.execute("INSERT INTO review_bookmarks (reviewer, excerpt_id, created_at) VALUES (?, ?, ?)",
                   (reviewer, excerpt_id, now()))


def resume_order(store: Store, reviewer: str, order: list[int]) -> list[int]:
    """The queue with the excerpt the reviewer stopped at first (when it is still to do)."""
    row = store.db.execute("SELECT excerpt_id FROM review_bookmarks WHERE reviewer = ? ORDER BY id DESC LIMIT 1",
                           (reviewer,)).fetchone()
    if row is None or int(row[0]) not in order:
        return order
    return [int(row[0]), *(e for e in order if e != int(row[0]))]


def verified_counts(labels: dict[int, frozenset[str]]) -> Counter[str]:
    return Counter(code for codes in labels.values() for code in codes)


def build_queue(store: Store, codebook: Codebook, config: Config, reviewer: str | None, model: Any,
                where: review_queue.QueueFilter = review_queue.QueueFilter(),
                assigned_only: bool = True) -> pd.DataFrame:
    """The reviewer's queue: current excerpts they have not verified, restricted to their assignments if any."""
    excerpts = excerpts_frame(store)
    scores = review_queue.score(excerpts, codebook, config.suggest, model)
    done = decisions.current_labels(store.db, reviewer=reviewer) if reviewer else decisions.current_labels(store.db)
    only = assigned_to(store, reviewer) if reviewer and assigned_only else None
    return review_queue.run(excerpts, scores, config.review,
                            verified_counts=verified_counts(decisions.current_labels(store.db)),
                            exclude=done, only=only, where=where, min_score=config.suggest.min_score)


def session_requeue(store: Store, codebook: Codebook, config: Config, reviewer: str,
                    where: review_queue.QueueFilter = review_queue.QueueFilter(), assigned_only: bool = True
                    ) -> Callable[[], list[int]]:
    """For a review session: a function that refits the suggester in memory on every verified label (the
    unverified excerpts as `unlabelled`) and returns the reviewer's queue ranked by it. No model version is
    written; with nothing verified yet it ranks with the model in use."""
    from pipeline.suggest.persist import SuggestModel
    from pipeline.suggest.project import make_estimator, training_data

    def ranked() -> list[int]:
        try:
            data = training_data(store, codebook)
        except ModelError:  # e.g. a label outside the codebook: keep reviewing in the current order
            return []
        if len(data.excerpts):
            estimator = make_estimator(codebook, config).fit(data.excerpts, data.Y, groups=data.groups,
                                                             unlabelled=data.unlabelled)
            model = SuggestModel(version="session", path=store.folder, estimator=estimator, card={})
        else:
            model = active_model(store, config, codebook)
        queue = build_queue(store, codebook, config, reviewer, model, where, assigned_only=assigned_only)
        return queue["excerpt_id"].astype(int).tolist()

    return ranked


def review_plan(store: Store, codebook: Codebook, config: Config, reviewer: str, filters: Any,
                assigned_only: bool) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """What a reviewer sees: (model in use, its current suggestions, the ordered and filtered queue)."""
    model = active_model(store, config, codebook)
    suggestions = current_suggestions(store, codebook, config, model)
    queue = build_queue(store, codebook, config, reviewer, model, filters, assigned_only=assigned_only)
    return model, suggestions, queue


def codings(store: Store, codebook: Codebook, config: Config, with_model: bool = True,
            model: Any = None) -> dict[str, dict[int, frozenset[str]]]:
    """Each reviewer's verified labels, plus (with_model) the codes the model in use suggests for the excerpts any
    reviewer verified, as coder `model:<version>`. A model trained on these very labels agrees in-sample."""
    from pipeline.suggest import run as suggest_run

    result: dict[str, dict[int, frozenset[str]]] = {
        name: dict(labels) for name, labels in decisions.labels_by_reviewer(store.db).items() if labels}
    if with_model:
        model = model if model is not None else active_model(store, config, codebook)
        verified = set().union(*(labels.keys() for labels in result.values())) if result else set()
        excerpts = excerpts_frame(store, current_only=False)
        excerpts = excerpts[excerpts["excerpt_id"].isin(verified)]
        suggested = suggest_run(excerpts, codebook, config.suggest, model)
        by_excerpt = suggested.groupby("excerpt_id")["code"].agg(frozenset).to_dict() if len(suggested) else {}
        result[f"{agreement.MODEL_PREFIX}{model_version(model, codebook)}"] = {
            int(e): frozenset(by_excerpt.get(e, frozenset())) for e in excerpts["excerpt_id"]}
    return result


def agreement_frames(store: Store, codebook: Codebook, config: Config, *, drop_uncoded: bool = False,
                     with_model: bool = True, reviewers: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """Agreement for exports: {"pairs": agreement.PAIR_COLUMNS frame, "alpha": agreement.ALPHA_COLUMNS frame}.

    Empty frames (with the columns) when fewer than two coders have coded anything."""
    found = codings(store, codebook, config, with_model=with_model)
    if reviewers:
        found = {k: v for k, v in found.items() if k in reviewers or k.startswith(agreement.MODEL_PREFIX)}
    if len(found) < 2:
        return {"pairs": pd.DataFrame(columns=agreement.PAIR_COLUMNS),
                "alpha": pd.DataFrame(columns=agreement.ALPHA_COLUMNS)}
    result = agreement.run(found, codebook.ids, config.review, drop_uncoded=drop_uncoded)
    return {"pairs": result.pairs, "alpha": result.alpha}
