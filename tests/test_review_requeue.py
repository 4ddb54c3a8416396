"""Re-ranking during a review session: the order follows a suggester refitted on the verified labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.app import review
from pipeline.app.project import Project
from pipeline.app.session import ReviewSession
from pipeline.config import Config
from pipeline.store import Store
from pipeline.store.decisions import current_labels
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import record_gold
from pipeline.suggest.registry import in_use_model
from tests.conftest import DEMO
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401


def _session(store: Store, order: list[int], requeue, every: int) -> ReviewSession:  # type: ignore[no-untyped-def]
    return ReviewSession(store, codebook(), "ani", order, excerpts_frame(store), pd.DataFrame(
        columns=["excerpt_id", "code", "probability", "origin", "reasons", "rank", "run_id", "model_version"]),
        "codebook-test", requeue=requeue, requeue_every=every)


def test_the_order_is_replaced_every_n_decisions_and_skipped_excerpts_stay_last(demo_project: Path) -> None:
    with Store.open(demo_project) as store:
        ids = excerpts_frame(store)["excerpt_id"].astype(int).tolist()[:12]
        calls: list[int] = []

        def reversed_order() -> list[int]:
            calls.append(1)
            return list(reversed(ids))

        session = _session(store, list(ids), reversed_order, every=3)
        session.skip()  # ids[0] goes to the end and must stay there
        session.reject()
        session.reject()
        assert not calls and session.current.excerpt["excerpt_id"] == ids[3]
        session.reject()  # third decision: re-rank
        assert len(calls) == 1
        assert session.order == [*reversed(ids[4:]), ids[0]]
        assert set(current_labels(store, reviewer="ani")) == {ids[1], ids[2], ids[3]}


def test_session_requeue_refits_on_verified_labels(demo_project: Path, config: Config) -> None:
    gold = pd.read_csv(DEMO / "gold.csv", keep_default_na=False)
    subset = demo_project.parent / "gold-part.csv"
    gold.iloc[::4].to_csv(subset, index=False)  # every fourth excerpt verified
    with Store.open(demo_project) as store:
        book = codebook()
        project = Project(store, config, book)
        before = review.build_queue(project, "ani", in_use_model(store, config, book))
        record_gold(store, subset, codebook=book)
        ranked = review.session_requeue(project, "ani")()
        decided = set(current_labels(store, reviewer="ani"))
    assert sorted(ranked) == sorted(set(before["excerpt_id"].astype(int)) - decided)
    # Refitted on 108 verified excerpts instead of the shipped model: a different ranking of the same excerpts.
    assert ranked[:25] != before["excerpt_id"].astype(int).tolist()[:25]


def test_a_paragraph_without_speaker_is_shown_as_text(demo_project: Path) -> None:
    from pipeline.review.terminal import render

    with Store.open(demo_project) as store:
        frame = excerpts_frame(store)
        paragraph = int(frame.loc[frame["method"] == "dokumen", "excerpt_id"].iloc[0])
        session = _session(store, [paragraph], None, every=0)
        screen = render(session.current, session)
    assert "Kutipan (teks):" in screen and "Kutipan (nan)" not in screen
