"""Inter-coder agreement: percent agreement, Cohen's kappa (two coders) and Krippendorff's alpha (two or more coders,
missing data allowed), per code and overall, each with a percentile bootstrap confidence interval.

Coding is multi-label, so each code is a yes/no judgement per excerpt. "Overall" pools the yes/no judgements of all
codes (pooled kappa, De Vries et al. 2008; alpha over the pooled coincidences). The bootstrap resamples *excerpts*,
so the codes of one excerpt stay together. A coder is a reviewer or a model (named `model:<version>`). An excerpt a
reviewer marked "tidak relevan" reads as "no code" (an empty set, from `pipeline.decision_log.replay`).

Units: the excerpts both coders of a pair verified (alpha: excerpts at least two coders verified); an excerpt a
coder never verified is missing for that coder, not "no code". That is the convention for coded-unit agreement
(Krippendorff 2019; O'Connor & Joffe 2020). With `drop_uncoded`, excerpts none of the compared coders gave any code
are left out too: they inflate percent agreement on every code.

Too few to read (`too_few`): fewer than MIN_UNITS (30) units, or, for one code, fewer than MIN_POSITIVES (5) units
that either coder gave the code (overall: fewer than 5 coded units). Such figures are still computed and printed,
marked, with a warning: their intervals are wide and a kappa of 1.0 on six excerpts says nothing.

`run(codings, codes, config)` is the stage; `pipeline.app.agreement` reads a project for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from pipeline.config import ReviewConfig
from pipeline.errors import ReviewError

OVERALL = "(all)"
MODEL_PREFIX = "model:"
PAIR_COLUMNS = ["coder_a", "coder_b", "kind", "code", "n_excerpts", "percent", "percent_low", "percent_high",
                "kappa", "kappa_low", "kappa_high", "n_positive", "too_few"]
ALPHA_COLUMNS = ["coders", "n_coders", "code", "n_excerpts", "alpha", "alpha_low", "alpha_high", "n_positive",
                 "too_few"]
MIN_UNITS = 30  # fewer units than this: too few to read
MIN_POSITIVES = 5  # fewer units with the code (by either coder) than this: too few to read for that code
SMALL_N_WARNING = (f"figures marked ! rest on too few units to read (fewer than {MIN_UNITS} excerpts, or fewer than "
                   f"{MIN_POSITIVES} with the code): report them only with n and their interval, or code more")

Codings = Mapping[str, Mapping[int, frozenset[str]]]


@dataclass(frozen=True)
class Agreement:
    pairs: pd.DataFrame  # PAIR_COLUMNS: one row per coder pair and code (OVERALL first); percent in 0..100
    alpha: pd.DataFrame  # ALPHA_COLUMNS: all human coders together (and with the model, when one is given)
    coders: tuple[str, ...]
    confidence: float


# ---- the statistics on plain label sequences (checked against published worked examples in the tests) ----------

def percent_agreement(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Share of units (in %) on which two coders chose the same value."""
    confusion = _confusion(*_encode([a, b]))
    return 100.0 * float(np.trace(confusion) / confusion.sum())


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's (1960) kappa of two coders over the same units (nominal values)."""
    return float(_kappa(_confusion(*_encode([a, b]))))


def krippendorff_alpha(data: Sequence[Sequence[Any]]) -> float:
    """Nominal Krippendorff's alpha; `data` is coders x units, None/NaN where a coder did not code a unit."""
    codes = _encode(data)
    return float(_alpha(np.einsum("uij->ij", _coincidences(_value_counts(codes)))))


def _encode(rows: Sequence[Sequence[Any]]) -> list[np.ndarray]:
    """Values -> 0..v-1 per coder row; missing (None/NaN) -> -1."""
    missing = [[v is None or (isinstance(v, float) and np.isnan(v)) for v in row] for row in rows]
    values = sorted({v for row, gone in zip(rows, missing) for v, g in zip(row, gone) if not g}, key=repr)
    index = {v: i for i, v in enumerate(values)}
    if len({len(row) for row in rows}) != 1:
        raise ReviewError("every coder needs one value (or a gap) per unit")
    return [np.array([-1 if g else index[v] for v, g in zip(row, gone)]) for row, gone in zip(rows, missing)]


def _confusion(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both = (a >= 0) & (b >= 0)
    v = int(max(a.max(initial=0), b.max(initial=0))) + 1
    matrix = np.zeros((v, v))
    np.add.at(matrix, (a[both], b[both]), 1)
    return matrix


def _value_counts(codes: list[np.ndarray]) -> np.ndarray:
    """(units, values): how many coders gave each value to each unit."""
    stacked = np.vstack(codes)
    v = int(stacked.max(initial=0)) + 1
    return np.stack([(stacked == value).sum(0) for value in range(v)], axis=1).astype(float)


def _coincidences(counts: np.ndarray) -> np.ndarray:
    """Per-unit coincidence matrices (units, v, v): n_c n_k / (m_u - 1), n_c (n_c - 1) / (m_u - 1) on the
    diagonal; units coded by fewer than two coders are not pairable and count for nothing."""
    m = counts.sum(1)
    outer = counts[:, :, None] * counts[:, None, :]
    outer[:, np.arange(counts.shape[1]), np.arange(counts.shape[1])] -= counts
    scale = np.divide(1.0, m - 1, out=np.zeros_like(m), where=m >= 2)
    return outer * scale[:, None, None]


def _kappa(confusion: np.ndarray) -> np.ndarray:
    """Cohen's kappa of (..., v, v) confusion matrices; NaN where chance agreement is 1 (no variation)."""
    total = confusion.sum((-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.trace(confusion, axis1=-2, axis2=-1) / total
        expected = (confusion.sum(-1) * confusion.sum(-2)).sum(-1) / total**2
        return np.where(expected < 1 - 1e-12, (observed - expected) / (1 - expected), np.nan)


def _alpha(coincidence: np.ndarray) -> np.ndarray:
    """Nominal alpha of (..., v, v) coincidence matrices: 1 - (n - 1) * off-diagonal o / off-diagonal n_c n_k."""
    n_c = coincidence.sum(-1)
    n = n_c.sum(-1)
    disagree = coincidence.sum((-2, -1)) - np.trace(coincidence, axis1=-2, axis2=-1)
    expected = n**2 - (n_c**2).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 1e-12, 1 - (n - 1) * disagree / expected, np.nan)


# ---- multi-label codings: per code and pooled, with a bootstrap over excerpts -----------------------------------

def run(codings: Codings, codes: Sequence[str], config: ReviewConfig, *, drop_uncoded: bool = False) -> Agreement:
    """Agreement between every pair of coders and across all human coders (plus the model, when present).

    `codings` maps coder -> {excerpt id: codes}; an excerpt a coder did not code is missing for that coder.
    With `drop_uncoded`, excerpts to which none of the coders compared gave any code are left out (they inflate
    percent agreement on every code).
    """
    coders = tuple(codings)
    if len(coders) < 2:
        raise ReviewError(f"agreement needs at least two coders; found {len(coders)} ({', '.join(coders) or 'none'})",
                          hint="double-code a sample with `reduksi assign`, or compare with the model")
    rng = np.random.default_rng(config.seed)
    pair_rows = [row for a, b in combinations(coders, 2)
                 for row in _pair_rows(codings, a, b, codes, config, rng, drop_uncoded)]
    humans = tuple(c for c in coders if not c.startswith(MODEL_PREFIX))
    groups = [humans] if len(humans) >= 2 else []
    if len(humans) < len(coders) and humans:
        groups.append(coders)
    alpha_rows = [row for group in groups for row in _alpha_rows(codings, group, codes, config, rng, drop_uncoded)]
    return Agreement(pd.DataFrame(pair_rows, columns=PAIR_COLUMNS), pd.DataFrame(alpha_rows, columns=ALPHA_COLUMNS),
                     coders, config.confidence)


def _matrix(coding: Mapping[int, frozenset[str]], units: list[int], codes: Sequence[str]) -> np.ndarray:
    return np.array([[code in coding[u] for code in codes] for u in units], dtype=bool).reshape(len(units), len(codes))


def _weights(n: int, config: ReviewConfig, rng: np.random.Generator) -> np.ndarray:
    """Row 0: every excerpt once (the estimate); rows 1..B: bootstrap resample counts."""
    draws = rng.integers(0, n, size=(config.bootstrap, n)) if n else np.zeros((config.bootstrap, 0), int)
    resampled = np.stack([np.bincount(row, minlength=n) for row in draws]) if n and len(draws) else draws
    return np.vstack([np.ones((1, n)), resampled]).astype(float)


def _interval(values: np.ndarray, config: ReviewConfig) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return float("nan"), float("nan")
    tail = (1 - config.confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _pair_rows(codings: Codings, a: str, b: str, codes: Sequence[str], config: ReviewConfig,
               rng: np.random.Generator, drop_uncoded: bool) -> list[list[Any]]:
    units = sorted(set(codings[a]) & set(codings[b]))
    if drop_uncoded:
        units = [u for u in units if codings[a][u] or codings[b][u]]
    A, B = _matrix(codings[a], units, codes), _matrix(codings[b], units, codes)
    cells = (A.astype(int) * 2 + B.astype(int))  # 0: no/no, 1: no/yes, 2: yes/no, 3: yes/yes
    W = _weights(len(units), config, rng)
    per_code = np.stack([W @ np.eye(4)[cells[:, j]] for j in range(len(codes))], axis=1).reshape(-1, len(codes), 2, 2)
    pooled = per_code.sum(1, keepdims=True)
    confusion = np.concatenate([pooled, per_code], axis=1)  # (B + 1, 1 + codes, 2, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = 100 * np.trace(confusion, axis1=-2, axis2=-1) / confusion.sum((-2, -1))
    kappa = _kappa(confusion)
    kind = ("human-human", "human-model", "model-model")[sum(c.startswith(MODEL_PREFIX) for c in (a, b))]
    positives = [int((A | B).any(1).sum()), *(int(n) for n in (A | B).sum(0))]
    rows = []
    for j, code in enumerate([OVERALL, *codes]):
        rows.append([a, b, kind, code, len(units), float(percent[0, j]), *_interval(percent[1:, j], config),
                     float(kappa[0, j]), *_interval(kappa[1:, j], config), positives[j],
                     too_few(len(units), positives[j])])
    return rows


def too_few(n_units: int, n_positive: int) -> bool:
    """The small-n rule (module docstring)."""
    return n_units < MIN_UNITS or n_positive < MIN_POSITIVES


def _alpha_rows(codings: Codings, group: tuple[str, ...], codes: Sequence[str], config: ReviewConfig,
                rng: np.random.Generator, drop_uncoded: bool) -> list[list[Any]]:
    units = sorted(u for u in set().union(*(codings[c] for c in group))
                   if sum(u in codings[c] for c in group) >= 2)
    if drop_uncoded:
        units = [u for u in units if any(codings[c].get(u) for c in group)]
    coded = np.array([[u in codings[c] for c in group] for u in units], dtype=bool).reshape(len(units), len(group))
    W = _weights(len(units), config, rng)
    per_code = []
    for code in codes:
        yes = np.array([[u in codings[c] and code in codings[c][u] for c in group] for u in units],
                       dtype=bool).reshape(len(units), len(group))
        counts = np.stack([(coded & ~yes).sum(1), yes.sum(1)], axis=1).astype(float)
        per_code.append(np.einsum("bu,uij->bij", W, _coincidences(counts)))
    stacked = np.stack(per_code, axis=1)  # (B + 1, codes, 2, 2)
    alpha = _alpha(np.concatenate([stacked.sum(1, keepdims=True), stacked], axis=1))
    name = "+".join(group)
    given = [[any(u in codings[c] and code in codings[c][u] for c in group) for code in codes] for u in units]
    positives = [sum(any(row) for row in given), *(sum(row[j] for row in given) for j in range(len(codes)))]
    return [[name, len(group), code, len(units), float(alpha[0, j]), *_interval(alpha[1:, j], config), positives[j],
             too_few(len(units), positives[j])] for j, code in enumerate([OVERALL, *codes])]


def format_agreement(result: Agreement, codes_shown: str = "overall") -> str:
    """A readable table; `codes_shown` 'overall' prints the pooled rows only, 'all' every code."""
    level = f"{round(result.confidence * 100)}% CI"

    def show(value: float, low: float, high: float, digits: int = 3) -> str:
        if not np.isfinite(value):
            return "n/a"
        ci = f" [{low:.{digits}f}, {high:.{digits}f}]" if np.isfinite(low) else ""
        return f"{value:.{digits}f}{ci}"

    pairs = result.pairs if codes_shown == "all" else result.pairs[result.pairs["code"] == OVERALL]
    lines = [f"  {'coder A':<14}{'coder B':<22}{'code':<16}{'n':>5}{'coded':>6}  {'% agree (' + level + ')':<26}  "
             f"kappa ({level})"]
    for r in pairs.itertuples():
        lines.append(f"{'!' if r.too_few else ' '} {r.coder_a:<14}{r.coder_b:<22}{r.code:<16}{r.n_excerpts:>5}"
                     f"{r.n_positive:>6}  {show(r.percent, r.percent_low, r.percent_high, 1):<26}  "
                     f"{show(r.kappa, r.kappa_low, r.kappa_high)}")
    alpha = result.alpha if codes_shown == "all" else result.alpha[result.alpha["code"] == OVERALL]
    if len(alpha):
        lines.append("")
        lines.append(f"  {'Krippendorff alpha: coders':<36}{'code':<16}{'n':>5}{'coded':>6}  alpha ({level})")
        for r in alpha.itertuples():
            lines.append(f"{'!' if r.too_few else ' '} {r.coders:<36}{r.code:<16}{r.n_excerpts:>5}{r.n_positive:>6}  "
                         f"{show(r.alpha, r.alpha_low, r.alpha_high)}")
    lines.append("")
    lines.append("Units: the excerpts both coders verified (alpha: at least two); n = units, coded = units either "
                 "coder gave the code.")
    if bool(pairs["too_few"].any()) or (len(alpha) and bool(alpha["too_few"].any())):
        lines.append(f"Warning: {SMALL_N_WARNING}.")
    return "\n".join(lines)
