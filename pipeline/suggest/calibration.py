"""Probability calibration (Platt scaling), per-code threshold choice, and calibration scores."""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def sigmoid(z: np.ndarray) -> np.ndarray:
    return expit(z)


def platt(scores: np.ndarray, y: np.ndarray, max_iter: int = 100) -> tuple[float, float]:
    """Fit p = sigmoid(a * score + b) on held-out scores (Platt 1999, with his smoothed targets against overfit).

    Newton's method with step halving (Lin, Lin & Weng 2007): two parameters need no general-purpose optimiser.
    """
    f = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(y).ravel().astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    t = np.where(y, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    params = np.array([0.0, np.log((n_pos + 1.0) / (n_neg + 1.0))])

    def loss(ab: np.ndarray) -> float:
        z = ab[0] * f + ab[1]
        return float(np.sum(np.logaddexp(0, z) - t * z))

    current = loss(params)
    for _ in range(max_iter):
        p = expit(params[0] * f + params[1])
        w = np.maximum(p * (1 - p), 1e-12)
        gradient = np.array([np.dot(p - t, f), np.sum(p - t)])
        hessian = np.array([[np.dot(w, f * f) + 1e-12, np.dot(w, f)], [np.dot(w, f), w.sum() + 1e-12]])
        if np.abs(gradient).max() < 1e-6:
            break
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale >= 1e-10:
            candidate = params - scale * step
            value = loss(candidate)
            if value <= current - 1e-4 * scale * float(np.dot(gradient, step)):  # Armijo: enough decrease
                params, current = candidate, value
                break
            scale /= 2
        else:
            break  # no decrease along the Newton direction: at the optimum within precision
    return float(params[0]), float(params[1])


def logistic(features: np.ndarray, y: np.ndarray, C: float = 1.0) -> tuple[float, ...]:
    """Fit p = sigmoid(w . features + b) over every (excerpt, code) pair; returns (w..., b).

    The multi-feature Platt map of the codebook prior; L2-regularised (C) so that a few hundred pairs suffice."""
    from sklearn.linear_model import LogisticRegression

    F = np.asarray(features, dtype=np.float64).reshape(-1, np.shape(features)[-1])
    model = LogisticRegression(C=C, max_iter=1000).fit(F, np.asarray(y).ravel().astype(int))
    return (*(float(w) for w in model.coef_.ravel()), float(model.intercept_[0]))


def apply_logistic(features: np.ndarray, calibration: tuple[float, ...]) -> np.ndarray:
    """Probabilities from `logistic`'s parameters. A 2-tuple (a, b) is the older one-feature map a * f0 + b,
    kept so that model files written before the prior had three features still load and score the same."""
    weights = np.asarray(calibration[:-1], dtype=np.float64)
    features = np.asarray(features, dtype=np.float64)
    return expit(features[..., :len(weights)] @ weights + calibration[-1])


def best_threshold(probabilities: np.ndarray, y: np.ndarray, low: float = 0.05, high: float = 0.95,
                   step: float = 0.01) -> float:
    """The cut that maximises F1 on held-out probabilities; ties go to the cut nearest 0.5."""
    y = np.asarray(y).astype(bool)
    cuts = np.round(np.arange(low, high + step / 2, step), 4)
    predicted = np.asarray(probabilities)[:, None] >= cuts[None, :]
    tp = (predicted & y[:, None]).sum(0)
    f1 = 2 * tp / np.maximum(predicted.sum(0) + y.sum(), 1)
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(cuts[best[np.argmin(np.abs(cuts[best] - 0.5))]])


def brier(probabilities: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the probabilities over every (excerpt, code) pair."""
    return float(np.mean((np.asarray(probabilities, float) - np.asarray(y, float)) ** 2))


def expected_calibration_error(probabilities: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Equal-width bins over every (excerpt, code) pair: sum of |mean p - observed rate| weighted by bin size."""
    p = np.asarray(probabilities, float).ravel()
    y = np.asarray(y, float).ravel()
    if p.size == 0:
        return 0.0
    index = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        in_bin = index == b
        if in_bin.any():
            total += in_bin.sum() / p.size * abs(p[in_bin].mean() - y[in_bin].mean())
    return float(total)
