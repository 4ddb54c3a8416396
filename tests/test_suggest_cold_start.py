"""Cold start that helps: codebook-only probabilities vary and are calibrated on informants they never scored;
the cut for an excerpt's best code when none passes its own; older model files still score the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import LeaveOneGroupOut

from pipeline.config import Config, SuggestConfig
from pipeline.suggest import CodeSuggester, codebook_profiles
from pipeline.suggest.calibration import apply_logistic, expected_calibration_error, logistic, sigmoid
from pipeline.suggest.estimator import NEVER, decide, top_threshold
from pipeline.suggest.stage import cold_start
from tests.conftest import DEMO
from tests.suggest_fixtures import codebook, indicator, labelled_excerpts


def test_codebook_only_probabilities_vary_with_the_strength_of_the_match() -> None:
    excerpts, _ = labelled_excerpts()
    cold = cold_start(excerpts.assign(excerpt_id=range(len(excerpts))), codebook(), SuggestConfig())
    best = cold.predict_proba(excerpts).max(1)
    assert len(np.unique(np.round(best, 3))) > 10  # was one value (0.67) for every excerpt's closest code
    strong, weak = cold.predict_proba(["kelasnya ribut jadi saya pakai tepuk diam, aturan kelas dibuat bersama",
                                       "ya begitulah, kadang ribut juga"]).max(1)
    assert strong > weak


def test_older_one_feature_maps_still_score_the_same() -> None:
    features = np.random.default_rng(0).random((4, 3, 2))
    assert np.allclose(apply_logistic(features, (7.0, -6.3)), sigmoid(7.0 * features[..., 0] - 6.3))
    fitted = logistic(features, (features[..., 1] > 0.5).astype(int))
    assert len(fitted) == 3 and fitted[1] > 0  # the weight of the feature that decides is positive


def test_best_code_cut_applies_only_where_nothing_passes() -> None:
    probability = np.array([[0.6, 0.3], [0.35, 0.2], [0.1, 0.15]])
    thresholds = np.array([0.5, 0.5])
    assert decide(probability, thresholds, NEVER).tolist() == [[1, 0], [0, 0], [0, 0]]
    assert decide(probability, thresholds, 0.3).tolist() == [[1, 0], [1, 0], [0, 0]]  # not a second code in row 0


def test_best_code_cut_is_chosen_on_held_out_probabilities_or_never() -> None:
    probability = np.array([[0.9, 0.1], [0.4, 0.1], [0.1, 0.38], [0.2, 0.1]])
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 0]])
    assert top_threshold(probability, Y, np.array([0.5, 0.5])) == pytest.approx(0.38)
    assert top_threshold(probability, np.array([[1, 0], [0, 1], [1, 0], [0, 1]]), np.array([0.5, 0.5])) == NEVER


def test_a_trained_suggester_learns_its_best_code_cut() -> None:
    excerpts, labels = labelled_excerpts()
    book = codebook()
    fitted = CodeSuggester(codes=codebook_profiles(book), cv=3).fit(excerpts, labels, groups=excerpts["informant"])
    assert 0.05 <= fitted.cut_for_top() <= 0.95 or fitted.cut_for_top() == NEVER
    untrained = CodeSuggester(codes=codebook_profiles(book)).fit(excerpts, [()] * len(excerpts))
    assert untrained.cut_for_top() == NEVER
    assert indicator(labels, book.ids).shape == fitted.predict(excerpts).shape


def test_demo_cold_start_is_calibrated_on_informants_it_never_saw(tmp_path: Path, config: Config) -> None:
    """ECE of codebook-only probabilities on the demo corpus, the map fitted leave-one-informant-out."""
    from pipeline.codebook import load_codebook
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.store import Store
    from pipeline.store.decisions import current_labels
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.store.labels import record_gold
    from pipeline.suggest.training import training_data

    book = load_codebook(DEMO / "codebook.yaml")
    with Store.init(tmp_path / "demo") as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
        record_gold(store, DEMO / "gold.csv", codebook=book)
        every = excerpts_frame(store)
        data = training_data(every, current_labels(store), book)
    cold = cold_start(every, book, config.suggest)
    features = cold.prior_.features(cold.prior_.vectors(cold._with_lemmas(data.excerpts)[0]["lemmas"].tolist()))
    probability = np.zeros(data.Y.shape)
    for train, test in LeaveOneGroupOut().split(data.Y, groups=data.groups):
        probability[test] = apply_logistic(features[test], logistic(features[train], data.Y[train]))
    assert expected_calibration_error(probability, data.Y) <= 0.10
    best = pd.Series(probability.max(1))
    assert best.std() > 0.05 and best.nunique() > 50
