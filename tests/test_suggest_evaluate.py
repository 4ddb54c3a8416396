"""Evaluation: metrics on hand-checked cases, calibration scores, grouped folds that never share an informant."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from pipeline.suggest import CodeSuggester, codebook_profiles
from pipeline.suggest.calibration import best_threshold, brier, expected_calibration_error, platt, sigmoid
from pipeline.suggest.evaluate import cap, confused_pairs, cross_validate, format_report, score
from tests.suggest_fixtures import codebook, indicator, labelled_excerpts


def test_score_by_hand() -> None:
    Y = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    predicted = np.array([[1, 0], [1, 0], [0, 1], [0, 1]])
    result = score(Y, predicted.astype(float), predicted, ["A", "B"])
    a, b = result.per_code.set_index("code").loc["A"], result.per_code.set_index("code").loc["B"]
    assert (a.precision, a.recall, a.f1) == (100.0, 100.0, 100.0)
    assert (b.precision, b.recall) == (50.0, 50.0)
    assert result.micro_f1 == pytest.approx(100 * 2 * 3 / (4 + 4))
    assert result.macro_f1 == pytest.approx(75.0)
    assert result.coverage == 100.0 and result.gold_coverage == 75.0
    assert result.confused == ()  # excerpt 2 missed B but nothing was suggested in its place
    assert "micro-F1 75.0" in format_report(result)


def test_confused_pairs_count_substitutions() -> None:
    Y = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=bool)
    predicted = np.array([[0, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)
    assert confused_pairs(Y, predicted, ["A", "B", "C"]) == (("A", "B", 2), ("A", "C", 1), ("B", "C", 1))


def test_calibration_scores() -> None:
    y = np.array([1, 0, 1, 0])
    assert brier(np.array([1.0, 0.0, 1.0, 0.0]), y) == 0.0
    assert brier(np.full(4, 0.5), y) == 0.25
    assert expected_calibration_error(np.full(4, 0.5), y) == 0.0  # says 50%, right half the time
    assert expected_calibration_error(np.full(4, 0.9), y) == pytest.approx(0.4)


def test_platt_and_threshold() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=2000)
    y = rng.random(2000) < sigmoid(2.0 * scores - 0.5)
    a, b = platt(scores, y)
    assert a == pytest.approx(2.0, abs=0.3) and b == pytest.approx(-0.5, abs=0.2)
    probabilities = np.array([0.1, 0.2, 0.6, 0.7, 0.8])
    assert 0.2 < best_threshold(probabilities, np.array([0, 0, 1, 1, 1])) <= 0.6


def test_cap_keeps_top_k_passing() -> None:
    probabilities = np.array([[0.9, 0.8, 0.7, 0.1]])
    assert cap(probabilities, np.full(4, 0.5), 2).tolist() == [[1, 1, 0, 0]]
    assert cap(probabilities, np.array([0.95, 0.5, 0.5, 0.5]), 2).tolist() == [[0, 1, 1, 0]]
    assert cap(probabilities, np.full(4, 0.5), None).tolist() == [[1, 1, 1, 0]]


class GroupSpy(BaseEstimator):
    """Records the groups it was trained on, predicts nothing: enough to check the folds."""

    seen: list[set[str]] = []

    def __init__(self, codes: tuple[str, ...] = ("A",)) -> None:
        self.codes = codes

    def fit(self, X, y, groups=None):  # type: ignore[no-untyped-def]
        GroupSpy.seen.append(set(groups))
        self.codes_ = np.array(self.codes)
        self.thresholds_ = np.full(len(self.codes), 0.5)
        return self

    def predict_proba(self, X):  # type: ignore[no-untyped-def]
        return np.zeros((len(X), len(self.codes)))


def test_folds_never_share_an_informant() -> None:
    excerpts, labels = labelled_excerpts(n_per_informant=3, informants=5)
    GroupSpy.seen = []
    result = cross_validate(GroupSpy(), excerpts, np.zeros((len(excerpts), 1)), excerpts["informant"])
    all_groups = set(excerpts["informant"])
    assert result.n_folds == 5 and len(GroupSpy.seen) == 5
    assert all(len(all_groups - seen) == 1 for seen in GroupSpy.seen)  # leave one informant out
    GroupSpy.seen = []
    cross_validate(GroupSpy(), excerpts, np.zeros((len(excerpts), 1)), excerpts["informant"], n_splits=2)
    assert len(GroupSpy.seen) == 2
    with pytest.raises(ValueError, match="two groups"):
        cross_validate(GroupSpy(), excerpts, np.zeros((len(excerpts), 1)), ["U0"] * len(excerpts))


def test_cross_validation_of_the_suggester_on_new_informants() -> None:
    excerpts, labels = labelled_excerpts(n_per_informant=12, informants=5, seed=3)
    book = codebook()
    estimator = CodeSuggester(codes=codebook_profiles(book), cv=3)
    result = cross_validate(estimator, excerpts, indicator(labels, book.ids), excerpts["informant"], top_k=3)
    assert result.n_excerpts == len(excerpts) and result.n_folds == 5
    assert result.micro_f1 > 80 and result.ece < 0.2  # phrases recur across informants: learnable
    summary = result.summary()
    assert set(summary["per_code_f1"]) == set(book.ids) and summary["micro_f1"] == round(result.micro_f1, 1)
