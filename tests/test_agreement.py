"""Agreement statistics against published worked examples with known answers, then the multi-label frames."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.config import ReviewConfig
from pipeline.errors import ReviewError
from pipeline.review.agreement import OVERALL, cohen_kappa, krippendorff_alpha, percent_agreement, run

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
# University of Pennsylvania, section C ("nominal data, any number of observers, missing data"):
# 4 observers, 12 units, "." = missing; the paper gives alpha_nominal = 0.743.
KRIPPENDORFF_2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# Same paper, section A ("binary data, two observers, no missing data"): alpha = 0.095.
KRIPPENDORFF_2011_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]


def test_krippendorff_2011_nominal_with_missing_data() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011_C) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_2011_binary_two_observers() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011_A) == pytest.approx(0.095, abs=5e-4)


def test_cohen_kappa_textbook_example() -> None:
    # Wikipedia, "Cohen's kappa", simple example: 50 grant proposals read by A and B; both yes 20, A yes/B no 5,
    # A no/B yes 10, both no 15 -> p_o = 0.70, p_e = 0.50, kappa = 0.40.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert percent_agreement(a, b) == pytest.approx(70.0)
    assert cohen_kappa(a, b) == pytest.approx(0.40)


def test_cohen_kappa_on_krippendorff_binary_example() -> None:
    # The same binary data by hand: p_o = 0.6, p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56, kappa = 0.04 / 0.44 = 0.0909.
    assert cohen_kappa(*KRIPPENDORFF_2011_A) == pytest.approx(0.04 / 0.44)


def test_agrees_with_reference_implementations_on_random_data() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        truth = rng.integers(0, 3, 40)
        a = np.where(rng.random(40) < 0.7, truth, rng.integers(0, 3, 40))
        b = np.where(rng.random(40) < 0.7, truth, rng.integers(0, 3, 40))
        c = np.where(rng.random(40) < 0.2, np.nan, np.where(rng.random(40) < 0.6, truth, rng.integers(0, 3, 40)))
        assert cohen_kappa(a.tolist(), b.tolist()) == pytest.approx(cohen_kappa_score(a, b))
        data = [a.astype(float).tolist(), b.astype(float).tolist(), c.tolist()]
        assert krippendorff_alpha(data) == pytest.approx(
            krippendorff.alpha(reliability_data=np.array(data), level_of_measurement="nominal"))


def _codings(a: list[int], b: list[int], code: str = "K-A") -> dict[str, dict[int, frozenset[str]]]:
    return {"ani": {i: frozenset([code] if v else []) for i, v in enumerate(a)},
            "budi": {i: frozenset([code] if v else []) for i, v in enumerate(b)}}


def test_multilabel_run_per_code_and_pooled() -> None:
    codings = _codings(*KRIPPENDORFF_2011_A)
    result = run(codings, ["K-A", "K-B"], ReviewConfig(bootstrap=300, seed=1))
    rows = result.pairs.set_index("code")
    assert rows.loc["K-A", "kappa"] == pytest.approx(0.04 / 0.44)
    assert rows.loc["K-A", "percent"] == pytest.approx(60.0)
    assert math.isnan(rows.loc["K-B", "kappa"]) and rows.loc["K-B", "percent"] == 100.0  # nobody used K-B
    # pooled over both codes: 20 yes/no judgements, 16 agree; margins A 2/20, B 4/20
    expected = ((16 / 20) - (0.1 * 0.2 + 0.9 * 0.8)) / (1 - (0.1 * 0.2 + 0.9 * 0.8))
    assert rows.loc[OVERALL, "kappa"] == pytest.approx(expected)
    alpha = result.alpha.set_index("code")
    assert alpha.loc["K-A", "alpha"] == pytest.approx(0.095, abs=5e-4)
    for frame, stat in ((result.pairs, "kappa"), (result.alpha, "alpha")):
        row = frame[frame["code"] == OVERALL].iloc[0]
        assert row[f"{stat}_low"] <= row[stat] <= row[f"{stat}_high"]


def test_bootstrap_is_seeded() -> None:
    codings = _codings(*KRIPPENDORFF_2011_A)
    first = run(codings, ["K-A"], ReviewConfig(bootstrap=200, seed=3)).pairs
    again = run(codings, ["K-A"], ReviewConfig(bootstrap=200, seed=3)).pairs
    other = run(codings, ["K-A"], ReviewConfig(bootstrap=200, seed=4)).pairs
    assert first.equals(again) and not first.equals(other)


def test_drop_uncoded_leaves_out_excerpts_nobody_coded() -> None:
    a, b = [1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]
    kept = run(_codings(a, b), ["K-A"], ReviewConfig(bootstrap=50)).pairs.set_index("code")
    dropped = run(_codings(a, b), ["K-A"], ReviewConfig(bootstrap=50), drop_uncoded=True).pairs.set_index("code")
    assert kept.loc["K-A", "n_excerpts"] == 6 and kept.loc["K-A", "percent"] == pytest.approx(100 * 5 / 6)
    assert dropped.loc["K-A", "n_excerpts"] == 2 and dropped.loc["K-A", "percent"] == pytest.approx(50.0)


def test_only_shared_excerpts_are_compared_and_models_are_labelled() -> None:
    codings = {"ani": {1: frozenset({"K-A"}), 2: frozenset()}, "budi": {2: frozenset(), 3: frozenset({"K-A"})},
               "model:m-1": {1: frozenset({"K-A"}), 2: frozenset({"K-A"}), 3: frozenset({"K-A"})}}
    result = run(codings, ["K-A"], ReviewConfig(bootstrap=20))
    pairs = result.pairs[result.pairs["code"] == OVERALL].set_index(["coder_a", "coder_b"])
    assert pairs.loc[("ani", "budi"), "n_excerpts"] == 1
    assert pairs.loc[("ani", "model:m-1"), "kind"] == "human-model"
    assert set(result.alpha["coders"]) == {"ani+budi", "ani+budi+model:m-1"}
    assert result.alpha.set_index(["coders", "code"]).loc[("ani+budi+model:m-1", OVERALL), "n_excerpts"] == 3


def test_needs_two_coders() -> None:
    with pytest.raises(ReviewError, match="at least two coders"):
        run({"ani": {1: frozenset()}}, ["K-A"], ReviewConfig())
