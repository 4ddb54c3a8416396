"""The review queue: order by usefulness (uncertainty, disagreement, rarity), filters, exclusions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.config import ReviewConfig
from pipeline.errors import ReviewError
from pipeline.review.review_queue import QueueFilter, Scores, run

CODES = ("K-A", "K-B")
EXCERPTS = pd.DataFrame({"excerpt_id": [1, 2, 3, 4], "key": ["W-1:001", "W-1:002", "W-2:001", "O-1:001"],
                         "informant": ["G1", "G1", "G2", None], "role": ["guru", "guru", "kepala_sekolah", None],
                         "method": ["wawancara", "wawancara", "wawancara", "observasi"]})


def _scores(p: list[list[float]], codebook_p: list[list[float]] | None = None) -> Scores:
    return Scores(EXCERPTS["excerpt_id"].to_numpy(), CODES, np.array(p), np.array([0.5, 0.5]),
                  None if codebook_p is None else np.array(codebook_p))


def _ids(frame: pd.DataFrame) -> list[int]:
    return frame["excerpt_id"].tolist()


def test_uncertain_excerpts_come_first() -> None:
    p = [[0.95, 0.02], [0.52, 0.1], [0.3, 0.05], [0.05, 0.01]]
    config = ReviewConfig(uncertainty_weight=1, disagreement_weight=0, rarity_weight=0)
    queue = run(EXCERPTS, _scores(p), config, verified_counts={})
    assert _ids(queue) == [2, 3, 1, 4]
    assert queue.loc[0, "uncertainty"] == pytest.approx(1 - 0.02 / 0.5)
    assert queue.loc[0, "likely_codes"] == ("K-A",)


def test_with_a_trained_model_closeness_on_several_codes_beats_one_code_at_its_threshold() -> None:
    # Excerpt 1 sits right at K-A's threshold and far from K-B's; excerpt 2 is close to both thresholds.
    p = [[0.5, 0.0], [0.45, 0.55], [0.9, 0.05], [0.05, 0.95]]
    config = ReviewConfig(uncertainty_weight=1, disagreement_weight=0, rarity_weight=0, diversity_clusters=0)
    cold = run(EXCERPTS, _scores(p), config, verified_counts={})
    trained = run(EXCERPTS, _scores(p, codebook_p=p), config, verified_counts={})
    assert _ids(cold)[:2] == [1, 2]  # codebook alone: the closest single code (max over codes)
    assert _ids(trained)[:2] == [2, 1]  # trained: the soft share of codes near their thresholds, mean of u**4
    assert trained.set_index("excerpt_id").loc[2, "uncertainty"] == pytest.approx(0.9 ** 4)
    assert trained.set_index("excerpt_id").loc[1, "uncertainty"] == pytest.approx(0.5)


def test_disagreement_between_codebook_and_model_counts() -> None:
    p = [[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.9, 0.1]]
    codebook_p = [[0.9, 0.1], [0.1, 0.1], [0.8, 0.1], [0.9, 0.6]]
    config = ReviewConfig(uncertainty_weight=0, disagreement_weight=1, rarity_weight=0)
    assert _ids(run(EXCERPTS, _scores(p, codebook_p), config, verified_counts={})) == [2, 4, 3, 1]


def test_rare_codes_are_favoured() -> None:
    p = [[0.8, 0.0], [0.0, 0.8], [0.0, 0.0], [0.0, 0.0]]
    config = ReviewConfig(uncertainty_weight=0, disagreement_weight=0, rarity_weight=1)
    assert _ids(run(EXCERPTS, _scores(p), config, verified_counts={"K-A": 40, "K-B": 1}))[:2] == [2, 1]
    assert _ids(run(EXCERPTS, _scores(p), config, verified_counts={"K-A": 1, "K-B": 40}))[:2] == [1, 2]


def test_filters_and_exclusions() -> None:
    p = [[0.9, 0.6], [0.4, 0.1], [0.6, 0.2], [0.7, 0.55]]
    scores, config = _scores(p), ReviewConfig()
    assert set(_ids(run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(codes=("K-B",))))) == {1, 4}
    assert set(_ids(run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(informants=("G1",))))) == \
        {1, 2}
    assert _ids(run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(roles=("kepala_sekolah",)))) == [3]
    assert _ids(run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(methods=("observasi",)))) == [4]
    low = run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(max_confidence=0.65))
    assert set(_ids(low)) == {2, 3}
    high = run(EXCERPTS, scores, config, verified_counts={}, where=QueueFilter(min_confidence=0.7))
    assert set(_ids(high)) == {1, 4}
    assert set(_ids(run(EXCERPTS, scores, config, verified_counts={}, exclude=[1, 2]))) == {3, 4}
    assert set(_ids(run(EXCERPTS, scores, config, verified_counts={}, only=[2, 3], exclude=[3]))) == {2}


def test_bad_filters_are_errors() -> None:
    with pytest.raises(ReviewError, match="unknown code"):
        run(EXCERPTS, _scores([[0.1, 0.1]] * 4), ReviewConfig(), verified_counts={}, where=QueueFilter(codes=("X-Y",)))
    with pytest.raises(ReviewError, match="max-confidence"):
        run(EXCERPTS, _scores([[0.1, 0.1]] * 4), ReviewConfig(), verified_counts={},
            where=QueueFilter(max_confidence=2.0))


def test_diversity_takes_the_best_of_each_cluster_in_turn() -> None:
    texts = ["guru menulis rencana pelajaran", "guru menulis rencana pelajaran baru", "guru menulis rencana harian",
             "murid bermain bola di lapangan", "murid bermain bola sore", "murid bermain bola pagi"]
    excerpts = pd.DataFrame({"excerpt_id": range(1, 7), "key": [f"K:{i:03d}" for i in range(1, 7)], "text": texts})
    p = [[0.5, 0.0], [0.45, 0.0], [0.4, 0.0], [0.3, 0.0], [0.2, 0.0], [0.1, 0.0]]
    scores = Scores(excerpts["excerpt_id"].to_numpy(), CODES, np.array(p), np.array([0.5, 0.5]))
    plain = ReviewConfig(uncertainty_weight=1, disagreement_weight=0, rarity_weight=0, diversity_clusters=0)
    assert _ids(run(excerpts, scores, plain, verified_counts={})) == [1, 2, 3, 4, 5, 6]
    diverse = ReviewConfig(uncertainty_weight=1, disagreement_weight=0, rarity_weight=0, diversity_clusters=2)
    order = _ids(run(excerpts, scores, diverse, verified_counts={}))
    assert order[:2] == [1, 4] and sorted(order) == [1, 2, 3, 4, 5, 6]
    assert order == _ids(run(excerpts, scores, diverse, verified_counts={}))  # deterministic
    assert _ids(run(EXCERPTS, _scores([[0.5, 0.0], [0.4, 0.0], [0.3, 0.0], [0.2, 0.0]]), diverse,
                    verified_counts={})) == [1, 2, 3, 4]  # no text column: usefulness alone


def test_non_substantive_excerpts_come_last() -> None:
    texts = EXCERPTS.assign(text=["Sama-sama, Pak. Hati-hati di jalan.", "Jadwal KKG bentrok dengan rapat dinas.",
                                  "Iya, Bu.", "Guru menata tempat duduk berkelompok."],
                            context=["Terima kasih, Bu.", None, "Bisa kita mulai?", None])
    p = [[0.48, 0.1], [0.7, 0.2], [0.49, 0.1], [0.05, 0.01]]  # the small talk sits right at a threshold
    config = ReviewConfig(uncertainty_weight=1, disagreement_weight=0, rarity_weight=0, diversity_clusters=0)
    queue = run(texts, _scores(p), config, verified_counts={})
    assert _ids(queue) == [2, 4, 3, 1]
    assert queue["non_substantive"].tolist() == [False, False, True, True]
    confident = run(texts, _scores([[0.9, 0.1], [0.7, 0.2], [0.49, 0.1], [0.05, 0.01]]), config, verified_counts={})
    assert _ids(confident)[-1] == 3  # a confidently coded excerpt is substantive, whatever its opening
    assert not run(EXCERPTS, _scores(p), config, verified_counts={})["non_substantive"].any()  # no text: unknown


def test_warm_up_loads_the_model_in_use_and_survives_a_missing_project(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from pipeline.app.project import init_project
    from pipeline.app.review import warm_up
    from pipeline.suggest import persist
    from tests.conftest import DEMO_CODEBOOK

    init_project(tmp_path / "p", DEMO_CODEBOOK).close()
    persist._LOADED.clear()
    warm_up(tmp_path / "p")  # the demo codebook: the shipped model is the one in use
    assert [Path(key[0]).name for key in persist._LOADED] == ["gugus3-3"]
    warm_up(tmp_path / "nothing-here")  # quietly: the page will say what is wrong
    assert not (tmp_path / "nothing-here").exists()
