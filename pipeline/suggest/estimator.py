"""The code suggester: one-vs-rest linear models with calibrated probabilities, blended with the codebook prior.

For each code c:  p(c) = w_c * p_model(c) + (1 - w_c) * p_codebook(c),  with  w_c = n_c / (n_c + blend_k),
n_c the number of verified positives of c (w_c = 0 while a code has fewer than `min_positive` of them). So with no
labels the suggester is the codebook prior alone (cold start) and the trained model takes over as labels
accumulate. p_model is a LinearSVC margin mapped through Platt scaling fitted on out-of-fold margins; per-code
thresholds maximise F1 on the out-of-fold blended probabilities. Folds are grouped (e.g. by informant) when
`groups` is given, so no informant is in both halves of any split.

At least one code: per-code cuts that each maximise their own code's F1 left many on-topic excerpts of unseen
informants with no suggestion at all, their right code just under its cut. So a second, lower cut `top_threshold_`
applies to an excerpt's most probable code when no code passes its own cut; it is chosen, like the others, to
maximise micro-F1 on the out-of-fold probabilities (above 1 when it would not raise it: never used).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import GroupKFold, KFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from pipeline.suggest import explain
from pipeline.suggest.calibration import apply_logistic, best_threshold, logistic, platt, sigmoid
from pipeline.suggest.features import ExcerptFeatures, Lemmatizer, as_frame
from pipeline.suggest.prior import CodebookPrior

# Codebook similarity features (relative cosine, cosine; see prior.py) -> probability before any label exists:
# p = sigmoid(w . features + b). Fitted once on the demo corpus gold (the only labelled data the project ships;
# bench/cold_start.py prints the fit), so only a starting point elsewhere: it is refitted on the project's own
# labels as soon as there are `min_positive` of them. Fitted leave-one-informant-out instead, the same map scored
# ECE 0.016 on the held-out informants, micro-F1 63.3 (bench/cold_start.py).
DEFAULT_PRIOR_CALIBRATION: tuple[float, ...] = (5.23, 6.09, -5.58)
# With no label to tune on, a code is suggested from this calibrated probability: the F1-optimal cut of calibrated
# probabilities is half the F1 attainable (Lipton, Elkan & Naryanaswamy 2014), about 0.64 / 2 here.
COLD_START_THRESHOLD = 0.35
NEVER = 2.0  # a cut no probability reaches
ORIGINS = ("codebook", "model", "both")


@dataclass(frozen=True)
class Suggestion:
    code: str
    probability: float
    rank: int
    origin: str  # codebook | model | both
    reasons: tuple[str, ...]  # terms as written in the excerpt (the informant's words only)
    context_reasons: tuple[str, ...] = ()  # lemmas of the interviewer's question that moved the score, shown apart


class CodeSuggester(ClassifierMixin, BaseEstimator):
    """Multi-label code suggester over excerpts (a DataFrame with `text`, optional `context`, or a list of texts).

    `codes` is the codebook as ((code id, profile text), ...) — see `prior.codebook_profiles`. `y` in `fit` is an
    indicator matrix (n_excerpts, n_codes) in that order, or one collection of code ids per excerpt.
    """

    def __init__(self, codes: tuple[tuple[str, str], ...] = (), codebook_version: str = "", backend: str = "spacy",
                 word_ngram_range: tuple[int, int] = (1, 2), char_ngram_range: tuple[int, int] = (2, 5),
                 use_context: bool = True, context_weight: float = 0.5, C: float = 0.5, cv: int = 5,
                 min_positive: int = 5, blend_k: float = 10.0, default_threshold: float = COLD_START_THRESHOLD,
                 n_reasons: int = 3, tol: float = 1e-3, n_jobs: int | None = None, random_state: int = 0) -> None:
        self.codes = codes
        self.codebook_version = codebook_version
        self.backend = backend
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.use_context = use_context
        self.context_weight = context_weight
        self.C = C
        self.cv = cv
        self.min_positive = min_positive
        self.blend_k = blend_k
        self.default_threshold = default_threshold
        self.n_reasons = n_reasons
        self.tol = tol
        self.n_jobs = n_jobs
        self.random_state = random_state

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def __getstate__(self) -> dict[str, Any]:
        # Caches rebuild on demand; they never go into a model file.
        return {k: v for k, v in super().__getstate__().items() if not k.startswith("_cache")}

    # ---- fit -------------------------------------------------------------------------------------------------

    def fit(self, X: Any, y: Any, groups: Any = None, unlabelled: Any = None) -> "CodeSuggester":
        """Learn from labelled excerpts (no labels at all is fine: codebook only). `groups` (e.g. informants)
        keeps each group within one fold when the held-out margins for calibration and thresholds are made.
        `unlabelled` excerpts (the project's unreviewed ones) only add to the word statistics (idf) of the codebook
        prior: from 25 reviewed excerpts alone those statistics were so thin that the codebook part scored 59.8
        micro-F1 on the demo corpus instead of 63.3 (bench/active_learning.py)."""
        self._check_params()
        frame = as_frame(X)
        codes, profiles = self._codes(y)
        Y = _label_matrix(y, codes, len(frame))
        self.codes_ = self.classes_ = np.asarray(codes, dtype=object)
        self.lemmatizer_ = Lemmatizer(self.backend)
        frame = self._with_lemmas(frame)[0]
        n = len(frame)
        self.n_positive_ = Y.sum(0).astype(np.int64)
        self.n_samples_ = n
        extra = self._lemmas_only(as_frame(unlabelled)) if unlabelled is not None else []
        self.prior_ = CodebookPrior([self.lemmatizer_.lemma_text(p) for p in profiles],
                                    [*frame["lemmas"].tolist(), *extra])
        p_prior = self._fit_prior_calibration(frame["lemmas"].tolist(), Y)
        trained = (self.n_positive_ >= self.min_positive) & (n - self.n_positive_ >= self.min_positive)
        self.weights_ = np.where(trained, self.n_positive_ / (self.n_positive_ + self.blend_k), 0.0)
        p_model = self._fit_model(frame, Y, trained, groups)
        blended = self.weights_ * p_model + (1 - self.weights_) * p_prior
        tunable = (self.n_positive_ >= self.min_positive) & (n > self.n_positive_)
        self.thresholds_ = self._thresholds(blended, Y, tunable)
        self.top_threshold_ = top_threshold(blended, Y, self.thresholds_) if trained.any() else NEVER
        return self

    def _thresholds(self, blended: np.ndarray, Y: np.ndarray, tunable: np.ndarray) -> np.ndarray:
        """A code with enough positives gets the cut that maximises its own F1. The others share one cut, fitted on
        them pooled (their probabilities come from the one pooled codebook calibration), or the default while
        there are too few labels. With the default kept for them, a first batch of 25 reviews hid every suggestion:
        the calibrated probability of an excerpt's closest code was about 0.42, honestly, and never reached 0.5."""
        shared = self.default_threshold
        pooled = Y[:, ~tunable]
        if pooled.sum() >= self.min_positive and (pooled == 0).any():
            shared = best_threshold(blended[:, ~tunable].ravel(), pooled.ravel())
        return np.array([best_threshold(blended[:, j], Y[:, j]) if tunable[j] else shared for j in range(Y.shape[1])])

    def _check_params(self) -> None:
        checks = [(self.C > 0, "C must be > 0"), (int(self.cv) >= 2, "cv must be >= 2"),
                  (int(self.min_positive) >= 1, "min_positive must be >= 1"),
                  (self.blend_k >= 0, "blend_k must be >= 0"),
                  (0 < self.default_threshold < 1, "default_threshold must be in (0, 1)"),
                  (int(self.n_reasons) >= 0, "n_reasons must be >= 0"), (self.tol > 0, "tol must be > 0")]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        ids = [c[0] for c in self.codes]
        if len(set(ids)) != len(ids) or not all(isinstance(c, tuple) and len(c) == 2 for c in self.codes):
            raise ValueError("codes must be unique (code id, profile text) pairs")

    def _codes(self, y: Any) -> tuple[list[str], list[str]]:
        if self.codes:
            return [c[0] for c in self.codes], [c[1] for c in self.codes]
        if _is_indicator(y):
            width = np.asarray(y.todense() if sp.issparse(y) else y).shape[1]
            return [str(j) for j in range(width)], [""] * width
        found = sorted({code for row in y for code in row})
        return found, [""] * len(found)

    def _fit_prior_calibration(self, lemmas: list[str], Y: np.ndarray) -> np.ndarray:
        features = self.prior_.features(self.prior_.vectors(lemmas))
        has_profile = np.asarray(self.prior_.profiles.getnnz(axis=1) > 0)
        labels = Y[:, has_profile]
        self.prior_calibration_ = DEFAULT_PRIOR_CALIBRATION
        if labels.sum() >= self.min_positive and (labels == 0).any():
            self.prior_calibration_ = logistic(features[:, has_profile], labels)
        return np.where(has_profile, apply_logistic(features, self.prior_calibration_), 0.0)

    def _fit_model(self, frame: pd.DataFrame, Y: np.ndarray, trained: np.ndarray, groups: Any) -> np.ndarray:
        """Fit the per-code linear models and their Platt maps; return out-of-fold probabilities."""
        k = Y.shape[1]
        self.features_ = None
        self.coef_ = np.zeros((k, 0), dtype=np.float32)
        self.intercept_ = np.zeros(k)
        self.calibration_ = np.zeros((k, 2))
        out_of_fold = np.zeros(Y.shape)
        if not trained.any():
            return out_of_fold
        self.features_ = ExcerptFeatures(self.backend, self.word_ngram_range, self.char_ngram_range,
                                         self.use_context, self.context_weight)
        X = _liblinear_ready(self.features_.fit_transform(frame))
        jobs = [j for j in range(k) if trained[j]]
        margins = np.zeros((len(frame), k))
        run = Parallel(n_jobs=self.n_jobs, prefer="threads")  # liblinear releases the GIL
        for train, test in self._splits(len(frame), groups):
            # Slice each fold once for all codes: the per-fit copies were most of the training time.
            X_train, X_test = _liblinear_ready(X[train]), X[test]
            fold = run(delayed(_fold_margins)(X_train, Y[train, j], X_test, self._svc()) for j in jobs)
            margins[np.ix_(test, np.asarray(jobs))] = np.column_stack(fold)
        final = run(delayed(_fit_svc)(X, Y[:, j], self._svc()) for j in jobs)
        self.coef_ = np.zeros((k, X.shape[1]), dtype=np.float32)
        for j, (coef, intercept) in zip(jobs, final):
            self.coef_[j], self.intercept_[j] = coef, intercept
            self.calibration_[j] = platt(margins[:, j], Y[:, j])
            out_of_fold[:, j] = sigmoid(self.calibration_[j, 0] * margins[:, j] + self.calibration_[j, 1])
        return out_of_fold

    def _svc(self) -> LinearSVC:
        # tol 1e-3 (liblinear's default is 1e-4): same predictions on HoASA and the demo corpus, ~30% faster.
        return LinearSVC(C=self.C, tol=self.tol, dual=True, max_iter=5000, random_state=self.random_state)

    def _splits(self, n: int, groups: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if groups is not None:
            groups = np.asarray(groups)
            n_groups = len(np.unique(groups))
            if n_groups >= 2:
                yield from GroupKFold(n_splits=min(int(self.cv), n_groups)).split(np.zeros(n), groups=groups)
                return
        yield from KFold(min(int(self.cv), n), shuffle=True, random_state=self.random_state).split(np.zeros(n))

    # ---- predict ---------------------------------------------------------------------------------------------

    def predict_proba(self, X: Any) -> np.ndarray:
        """(n_excerpts, n_codes) probabilities, columns in `codes_` order."""
        return self._parts(X)["probability"]

    def predict(self, X: Any) -> np.ndarray:
        """Indicator matrix of the codes whose probability reaches their threshold, or of the most probable code
        past `top_threshold_` when none does (rows may be all zero)."""
        return decide(self.predict_proba(X), self.thresholds_, self.cut_for_top())

    def cut_for_top(self) -> float:
        """The cut for an excerpt's most probable code when no code passes its own (models saved before it: never)."""
        return float(getattr(self, "top_threshold_", NEVER))

    def suggest(self, X: Any, top_k: int = 3, min_score: float = 0.0) -> list[list[Suggestion]]:
        """Per excerpt, up to `top_k` passing codes best first, with origin and reasons; [] means "no code"."""
        parts = self._parts(X)
        probability = parts["probability"]
        passing = decide(probability, np.maximum(self.thresholds_, min_score), max(self.cut_for_top(), min_score))
        result = []
        for i in range(probability.shape[0]):
            candidates = np.flatnonzero(passing[i])
            ranked = candidates[np.argsort(-probability[i, candidates], kind="stable")][:max(int(top_k), 0)]
            result.append([self._suggestion(parts, i, int(j), rank) for rank, j in enumerate(ranked, start=1)])
        return result

    def _parts(self, X: Any) -> dict[str, Any]:
        check_is_fitted(self, "thresholds_")
        frame, words = self._with_lemmas(as_frame(X))
        lemmas = frame["lemmas"].tolist()
        prior_vectors = self.prior_.vectors(lemmas)
        has_profile = np.asarray(self.prior_.profiles.getnnz(axis=1) > 0)
        p_prior = np.where(has_profile, apply_logistic(self.prior_.features(prior_vectors), self.prior_calibration_),
                           0.0)
        p_model, features = np.zeros_like(p_prior), None
        if self.features_ is not None:
            features = self.features_.transform(frame)
            margins = np.asarray(features @ self.coef_.T) + self.intercept_
            p_model = sigmoid(self.calibration_[:, 0] * margins + self.calibration_[:, 1])
        probability = self.weights_ * p_model + (1 - self.weights_) * p_prior
        return {"probability": probability, "p_model": p_model, "p_prior": p_prior, "words": words,
                "features": features, "prior_vectors": prior_vectors}

    def _lemmas_only(self, frame: pd.DataFrame) -> list[str]:
        """The `lemmas` column, or the text lemmatised; unlike `_with_lemmas`, no context and no words for reasons."""
        if "lemmas" in frame.columns:
            return frame["lemmas"].fillna("").astype(str).tolist()
        return [self.lemmatizer_.lemma_text(t) if isinstance(t, str) else "" for t in frame["text"]]

    def _with_lemmas(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[list[tuple[str, str]]]]:
        """Add `lemmas` (and `context_lemmas`) columns unless given; return the words behind them for reasons."""
        if "lemmas" in frame.columns:
            words = [[(w, w) for w in str(s).split()] for s in frame["lemmas"].fillna("")]
        else:
            words = [self.lemmatizer_.words(t if isinstance(t, str) else "") for t in frame["text"].tolist()]
            frame = frame.assign(lemmas=[" ".join(lemma for _, lemma in w) for w in words])
        if self.use_context and "context_lemmas" not in frame.columns:
            contexts = frame["context"].tolist() if "context" in frame.columns else [""] * len(frame)
            frame = frame.assign(context_lemmas=[self.lemmatizer_.lemma_text(c) if isinstance(c, str) else ""
                                                 for c in contexts])
        return frame, words

    def _suggestion(self, parts: dict[str, Any], i: int, j: int, rank: int) -> Suggestion:
        weight = self.weights_[j]
        from_model = weight * parts["p_model"][i, j]
        from_codebook = (1 - weight) * parts["p_prior"][i, j]
        share = from_model / (from_model + from_codebook) if from_model + from_codebook > 0 else 0.0
        origin = "model" if share >= 0.75 else "codebook" if share <= 0.25 else "both"
        reasons: tuple[str, ...] = ()
        context: tuple[str, ...] = ()
        if self.n_reasons:
            # A source with under 5% of the probability cannot move the top terms: skip its (costly) mapping.
            text_terms, question = self._model_terms(parts, i, j) if share >= 0.05 else ({}, {})
            sources = [(text_terms, share), (self._prior_terms(parts, i, j) if share <= 0.95 else {}, 1 - share)]
            reasons = tuple(explain.merge(sources, int(self.n_reasons)))
            context = tuple(explain.merge([(question, share)], int(self.n_reasons)))
        return Suggestion(str(self.codes_[j]), float(parts["probability"][i, j]), rank, origin, reasons, context)

    def _model_terms(self, parts: dict[str, Any], i: int, j: int) -> tuple[dict[str, float], dict[str, float]]:
        """Terms of the excerpt, and lemmas of the question, that pushed code j's model score."""
        if parts["features"] is None:
            return {}, {}
        top = explain.top_contributions(*_row(parts["features"], i), self.coef_[j])
        features = self.features_
        assert features is not None  # parts["features"] is set only by a fitted vocabulary
        names = self._cached("_cache_names", lambda: features.get_feature_names_out())
        named = {names[f]: v for f, v in top.items()}
        return explain.terms(named, parts["words"][i]), explain.question_terms(named)

    def _prior_terms(self, parts: dict[str, Any], i: int, j: int) -> dict[str, float]:
        profiles = self._cached("_cache_profiles", lambda: np.asarray(self.prior_.profiles.todense()))
        top = explain.top_contributions(*_row(parts["prior_vectors"], i), profiles[j])
        names = self._cached("_cache_prior_names", self.prior_.feature_names)
        return explain.terms({names[f]: v for f, v in top.items()}, parts["words"][i])

    def _cached(self, name: str, build: Any) -> Any:
        if getattr(self, name, None) is None:
            setattr(self, name, build())
        return getattr(self, name)


def decide(probability: np.ndarray, thresholds: np.ndarray, top_cut: float) -> np.ndarray:
    """0/1: past the code's threshold; in a row where nothing passes, the most probable code past `top_cut`."""
    passing = probability >= thresholds
    if probability.size == 0 or top_cut > 1:
        return passing.astype(np.int8)
    rows = np.flatnonzero(~passing.any(1))
    best = probability[rows].argmax(1)
    rescued = probability[rows, best] >= top_cut
    passing[rows[rescued], best[rescued]] = True
    return passing.astype(np.int8)


def top_threshold(probability: np.ndarray, Y: np.ndarray, thresholds: np.ndarray) -> float:
    """The cut for the best code of excerpts where no code passes, maximising micro-F1 on held-out probabilities;
    NEVER when no cut raises it (ties go to the highest cut: fewer, surer additions)."""
    passing = probability >= thresholds
    tp, n_predicted, n_gold = float((passing & (Y > 0)).sum()), float(passing.sum()), float(Y.sum())
    rows = np.flatnonzero(~passing.any(1))
    if rows.size == 0 or n_gold == 0:
        return NEVER
    best = probability[rows].argmax(1)
    p_best, right = probability[rows, best], Y[rows, best] > 0
    cuts = np.round(np.arange(0.05, 0.955, 0.01), 4)[::-1]
    added = p_best[None, :] >= cuts[:, None]
    f1 = 2 * (tp + (added & right).sum(1)) / (n_predicted + added.sum(1) + n_gold)
    base = 2 * tp / (n_predicted + n_gold)
    return float(cuts[int(np.argmax(f1))]) if f1.max() > base + 1e-12 else NEVER


def _row(matrix: sp.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of one CSR row (slicing the arrays is far cheaper than `matrix[i]`)."""
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def _liblinear_ready(X: sp.csr_matrix) -> sp.csr_matrix:
    """float64 CSR in canonical form: what liblinear takes without copying and sorting it again on every fit."""
    X = sp.csr_matrix(X, dtype=np.float64)
    X.sum_duplicates()
    return X


def _fold_margins(X_train: sp.csr_matrix, y_train: np.ndarray, X_test: sp.csr_matrix, svc: LinearSVC
                  ) -> np.ndarray:
    """Held-out margins of one code in one fold."""
    if len(np.unique(y_train)) < 2:  # a fold without one of the classes: its margin says only that
        return np.full(X_test.shape[0], 1.0 if y_train.any() else -1.0)
    return clone(svc).fit(X_train, y_train).decision_function(X_test)


def _fit_svc(X: sp.csr_matrix, y: np.ndarray, svc: LinearSVC) -> tuple[np.ndarray, float]:
    model = clone(svc).fit(X, y)
    return model.coef_.ravel().astype(np.float32), float(model.intercept_[0])


def _is_indicator(y: Any) -> bool:
    if sp.issparse(y):
        return True
    if isinstance(y, (np.ndarray, pd.DataFrame)):
        return np.asarray(y).ndim == 2 and np.issubdtype(np.asarray(y).dtype, np.number)
    return False


def _label_matrix(y: Any, codes: list[str], n: int) -> np.ndarray:
    if _is_indicator(y):
        Y = np.asarray(y.todense() if sp.issparse(y) else y)
        if Y.shape != (n, len(codes)) or not np.isin(Y, (0, 1)).all():
            raise ValueError(f"y must be a 0/1 matrix of shape ({n}, {len(codes)}), got {Y.shape}")
        return Y.astype(np.int8)
    rows = list(y) if isinstance(y, Iterable) else None
    if rows is None or len(rows) != n:
        raise ValueError(f"y must hold one collection of code ids per excerpt ({n})")
    position = {code: j for j, code in enumerate(codes)}
    Y = np.zeros((n, len(codes)), dtype=np.int8)
    for i, row in enumerate(rows):
        for code in row:
            if code not in position:
                raise ValueError(f"unknown code {code!r} in the labels of excerpt {i}; known: {', '.join(codes)}")
            Y[i, position[code]] = 1
    return Y
