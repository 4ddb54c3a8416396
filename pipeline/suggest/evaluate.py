"""Evaluation the way the tool is used: train on some informants, suggest for an informant it has never seen.

Cross-validation is grouped (no informant in both train and test). Scores: per-code precision/recall/F1, micro and
macro F1, coverage at the chosen thresholds, calibration (Brier score, expected calibration error) and the
code pairs most often confused (gold code missed while another code was suggested in its place).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from pipeline.suggest.calibration import brier, expected_calibration_error
from pipeline.suggest.features import as_frame


@dataclass(frozen=True)
class Evaluation:
    codes: tuple[str, ...]
    per_code: pd.DataFrame  # code, support, predicted, precision, recall, f1 (percent)
    micro_f1: float
    macro_f1: float  # over codes with support in the evaluated excerpts
    micro_precision: float
    micro_recall: float
    coverage: float  # share of excerpts with at least one suggestion
    gold_coverage: float  # share of excerpts with at least one gold code
    brier: float
    ece: float
    confused: tuple[tuple[str, str, int], ...]  # (gold code missed, code suggested instead, excerpts)
    n_excerpts: int
    n_folds: int = 0
    probabilities: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    predictions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    def summary(self) -> dict[str, Any]:
        """Plain figures (percentages rounded to 0.1; Brier/ECE to 4 places) for model cards and JSON lines."""
        return {"micro_f1": round(self.micro_f1, 1), "macro_f1": round(self.macro_f1, 1),
                "micro_precision": round(self.micro_precision, 1), "micro_recall": round(self.micro_recall, 1),
                "coverage": round(self.coverage, 1), "gold_coverage": round(self.gold_coverage, 1),
                "brier": round(self.brier, 4), "ece": round(self.ece, 4), "n_excerpts": self.n_excerpts,
                "n_folds": self.n_folds,
                "per_code_f1": {r.code: round(r.f1, 1) for r in self.per_code.itertuples()},
                "confused": [list(c) for c in self.confused]}


def score(Y: np.ndarray, probabilities: np.ndarray, predictions: np.ndarray, codes: tuple[str, ...] | list[str],
          n_folds: int = 0, n_confused: int = 5) -> Evaluation:
    """Score out-of-sample probabilities and 0/1 predictions against gold indicators (all n_excerpts x n_codes)."""
    Y, predicted = np.asarray(Y).astype(bool), np.asarray(predictions).astype(bool)
    tp, support, n_predicted = (Y & predicted).sum(0), Y.sum(0), predicted.sum(0)
    precision = _ratio(tp, n_predicted)
    recall = _ratio(tp, support)
    f1 = _ratio(2 * tp, support + n_predicted)
    per_code = pd.DataFrame({"code": list(codes), "support": support, "predicted": n_predicted,
                             "precision": precision, "recall": recall, "f1": f1})
    micro_p, micro_r = _ratio(tp.sum(), n_predicted.sum()), _ratio(tp.sum(), support.sum())
    has_support = support > 0
    return Evaluation(
        codes=tuple(codes), per_code=per_code, micro_f1=float(_ratio(2 * tp.sum(), support.sum() + n_predicted.sum())),
        macro_f1=float(f1[has_support].mean()) if has_support.any() else 0.0,
        micro_precision=float(micro_p), micro_recall=float(micro_r),
        coverage=100.0 * float(predicted.any(1).mean()) if len(Y) else 0.0,
        gold_coverage=100.0 * float(Y.any(1).mean()) if len(Y) else 0.0,
        brier=brier(probabilities, Y), ece=expected_calibration_error(probabilities, Y),
        confused=confused_pairs(Y, predicted, codes, n_confused), n_excerpts=len(Y), n_folds=n_folds,
        probabilities=np.asarray(probabilities), predictions=predicted.astype(np.int8))


def confused_pairs(Y: np.ndarray, predicted: np.ndarray, codes: Any, n: int = 5) -> tuple[tuple[str, str, int], ...]:
    """Pairs (a, b): excerpts where gold code a was missed and code b, not in the gold, was suggested."""
    counts: Counter[tuple[str, str]] = Counter()
    missed, extra = Y & ~predicted, predicted & ~Y
    for i in np.flatnonzero(missed.any(1) & extra.any(1)):
        for a in np.flatnonzero(missed[i]):
            for b in np.flatnonzero(extra[i]):
                counts[(str(codes[a]), str(codes[b]))] += 1
    return tuple((a, b, c) for (a, b), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def cross_validate(estimator: Any, X: Any, Y: np.ndarray, groups: Any, n_splits: int | None = None,
                   top_k: int | None = None, min_score: float = 0.0) -> Evaluation:
    """Grouped cross-validation of a (cloned, refitted) suggester; leave-one-group-out when `n_splits` is None.

    Predictions are what a reviewer would see: codes past their threshold (and `min_score`), at most `top_k`.
    """
    frame, Y, groups = as_frame(X).reset_index(drop=True), np.asarray(Y), np.asarray(groups)
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise ValueError("grouped cross-validation needs at least two groups (informants)")
    splitter = (LeaveOneGroupOut() if n_splits is None or n_splits >= n_groups
                else GroupKFold(n_splits=n_splits))
    probabilities, predictions, n_folds = np.zeros(Y.shape), np.zeros(Y.shape, dtype=np.int8), 0
    for train, test in splitter.split(frame, groups=groups):
        fitted = clone(estimator).fit(frame.iloc[train], Y[train], groups=groups[train])
        probabilities[test] = fitted.predict_proba(frame.iloc[test])
        top_cut = max(fitted.cut_for_top(), min_score) if hasattr(fitted, "cut_for_top") else 2.0
        predictions[test] = cap(probabilities[test], np.maximum(fitted.thresholds_, min_score), top_k, top_cut)
        n_folds += 1
    codes = [str(c) for c in fitted.codes_]
    return score(Y, probabilities, predictions, codes, n_folds=n_folds)


def cap(probabilities: np.ndarray, thresholds: np.ndarray, top_k: int | None, top_cut: float = 2.0) -> np.ndarray:
    """0/1 predictions: past the threshold (or, where nothing is, the best code past `top_cut`; above 1: never),
    and among the `top_k` most probable codes of the excerpt."""
    from pipeline.suggest.estimator import decide

    passing = decide(np.asarray(probabilities), np.asarray(thresholds), top_cut).astype(bool)
    if top_k is None or top_k >= probabilities.shape[1]:
        return passing.astype(np.int8)
    # Rank among the passing codes only, as `CodeSuggester.suggest` does.
    order = np.argsort(-np.where(passing, probabilities, -np.inf), axis=1, kind="stable")
    in_top = np.zeros_like(passing)
    np.put_along_axis(in_top, order[:, :top_k], True, axis=1)
    return (passing & in_top).astype(np.int8)


def _ratio(numerator: Any, denominator: Any) -> Any:
    """Percent, 0 where the denominator is 0."""
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    out = np.divide(100.0 * numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    return out if out.ndim else float(out)


def format_report(evaluation: Evaluation) -> str:
    """A readable table: per-code figures, then the totals and the most confused pairs."""
    lines = [f"{'code':<18}{'support':>8}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"]
    for row in evaluation.per_code.itertuples():
        lines.append(f"{row.code:<18}{row.support:>8}{row.predicted:>6}{row.precision:>7.1f}{row.recall:>7.1f}"
                     f"{row.f1:>7.1f}")
    lines.append(f"micro-F1 {evaluation.micro_f1:.1f} (P {evaluation.micro_precision:.1f}, "
                 f"R {evaluation.micro_recall:.1f})   macro-F1 {evaluation.macro_f1:.1f}")
    lines.append(f"coverage {evaluation.coverage:.1f}% of excerpts get a suggestion "
                 f"(gold: {evaluation.gold_coverage:.1f}% have a code)")
    lines.append(f"calibration: Brier {evaluation.brier:.4f}, ECE {evaluation.ece:.4f}   "
                 f"({evaluation.n_excerpts} excerpts, {evaluation.n_folds} folds)")
    if evaluation.confused:
        lines.append("most confused (gold missed -> suggested instead): "
                     + "; ".join(f"{a} -> {b} ({n})" for a, b, n in evaluation.confused))
    return "\n".join(lines)
