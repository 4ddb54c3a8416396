"""Excerpt features: normalised lemma n-grams, character n-grams of the text, and the interviewer's question.

Lemmas come from the language layer (`pipeline.language`), looked up once per word *type* and cached, so the
tokenizer backend (which another module may make slower and smarter) stays out of the per-excerpt hot path.
Callers that already hold lemma strings pass them in a `lemmas` column and skip the lookup entirely.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from pipeline.annotations import ANNOTATION  # not speech: carries no theme
from pipeline.language import load_backend
from pipeline.suggest.ngrams import CharNgrams

# Words as a reader sees them: letters/digits joined by inner hyphens or apostrophes ("guru-guru", "ng'gak").
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Feature-name prefixes: lemma n-grams of the excerpt, character n-grams, lemma n-grams of the question.
LEMMA, CHAR, QUESTION = "w:", "c:", "q:"
_LEMMA_CACHE: dict[str, dict[str, str]] = {}  # backend name -> {lower-case word: lemma string}


class Lemmatizer:
    """Text -> [(surface word, lemma)] for content words, via the named backend, cached by word type.

    Not an estimator: it holds no learned state, and drops its backend and cache when persisted.
    """

    def __init__(self, backend: str = "spacy") -> None:
        self.backend = backend
        # Shared by every Lemmatizer of this backend in the process: clones in cross-validation reuse it.
        self._cache = _LEMMA_CACHE.setdefault(backend, {})

    def __getstate__(self) -> dict[str, Any]:
        return {"backend": self.backend}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["backend"])  # type: ignore[misc]

    def words(self, text: str) -> list[tuple[str, str]]:
        """Content words of `text` in order, as (lower-case surface form, lemma); stop words and fillers dropped."""
        pairs = []
        for match in WORD.finditer(ANNOTATION.sub(" ", text or "")):
            surface = match.group().lower()
            lemma = self._cache.get(surface)
            if lemma is None:
                lemma = self._cache[surface] = self._lookup(surface)
            if lemma:
                pairs.append((surface, lemma))
        return pairs

    def lemma_text(self, text: str) -> str:
        return " ".join(lemma for _, lemma in self.words(text))

    def _lookup(self, word: str) -> str:
        tokens = _backend(self.backend).tokenize(word)
        return " ".join(t.lemma.lower() for t in tokens if t.is_content)


@functools.lru_cache(maxsize=4)
def _backend(name: str) -> Any:
    # Building a backend loads its language data (about a second for spaCy): once per process is enough.
    return load_backend(name)


def as_frame(X: Any) -> pd.DataFrame:
    """Accept a frame with a `text` column (optional `context`, `lemmas`) or a plain sequence of texts."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError("excerpt frame needs a 'text' column")
        return X
    if isinstance(X, str) or not isinstance(X, Iterable):
        raise ValueError("expected a DataFrame with a 'text' column or a sequence of texts")
    return pd.DataFrame({"text": list(X)})


def clean_text(text: Any) -> str:
    """The text the character n-grams see: lower case, annotations removed, whitespace collapsed."""
    return " ".join(ANNOTATION.sub(" ", text if isinstance(text, str) else "").lower().split())


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return [""] * len(frame)
    return [value if isinstance(value, str) else "" for value in frame[column].tolist()]


class ExcerptFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF blocks: lemma word n-grams, char_wb n-grams of the cleaned text, and (optionally) question lemmas.

    Input: a DataFrame with `text`, optional `context` (the interviewer's question) and optional precomputed
    `lemmas` / `context_lemmas` strings, or a plain list of texts.
    """

    def __init__(self, backend: str = "spacy", word_ngram_range: tuple[int, int] = (1, 2),
                 char_ngram_range: tuple[int, int] = (2, 5), use_context: bool = True,
                 context_weight: float = 0.5, min_df: int = 1) -> None:
        self.backend = backend
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.use_context = use_context
        self.context_weight = context_weight
        self.min_df = min_df

    def fit(self, X: Any, y: Any = None) -> "ExcerptFeatures":
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> sp.csr_matrix:  # type: ignore[override]
        """Fit and transform in one pass over the texts (n-gram analysis is the costly part)."""
        if not 0 <= self.context_weight <= 10:
            raise ValueError(f"context_weight must be in [0, 10], got {self.context_weight}")
        frame = as_frame(X)
        self.lemmatizer_ = Lemmatizer(self.backend)
        self.word_ = self._vectorizer(self.word_ngram_range)
        self.char_ = CharNgrams(self.char_ngram_range, self.min_df)
        blocks = [self.word_.fit_transform(self.lemma_strings(frame)),
                  self.char_.fit_transform([clean_text(t) for t in _texts(frame, "text")])]
        self.question_ = None
        if self.use_context:
            questions = self.lemma_strings(frame, context=True)
            if any(questions):
                self.question_ = self._vectorizer((1, 1))
                blocks.append(self.question_.fit_transform(questions) * self.context_weight)
        self.n_features_out_ = sum(block.shape[1] for block in blocks)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def transform(self, X: Any) -> sp.csr_matrix:
        check_is_fitted(self, "word_")
        frame = as_frame(X)
        blocks = [self.word_.transform(self.lemma_strings(frame)),
                  self.char_.transform([clean_text(t) for t in _texts(frame, "text")])]
        if self.question_ is not None:
            blocks.append(self.question_.transform(self.lemma_strings(frame, context=True)) * self.context_weight)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "word_")
        names = [LEMMA + n for n in self.word_.get_feature_names_out()]
        names += [CHAR + n for n in self.char_.feature_names()]
        if self.question_ is not None:
            names += [QUESTION + n for n in self.question_.get_feature_names_out()]
        return np.asarray(names, dtype=object)

    def lemma_strings(self, frame: pd.DataFrame, context: bool = False) -> list[str]:
        """Lemma strings of the text (or of the question), taken from the frame when precomputed."""
        given = "context_lemmas" if context else "lemmas"
        if given in frame.columns:
            return _texts(frame, given)
        lemmatizer = getattr(self, "lemmatizer_", None) or Lemmatizer(self.backend)
        return [lemmatizer.lemma_text(t) for t in _texts(frame, "context" if context else "text")]

    def __getstate__(self) -> dict[str, Any]:
        # A fitted vocabulary is a dict of up to ~10^6 n-grams; skops would spell out every entry in JSON.
        # Persist each vectorizer as its settings, one newline-joined string of terms and the idf array instead.
        state = dict(super().__getstate__())  # object.__getstate__ hands out the live __dict__: copy it
        for name in ("word_", "question_"):
            if isinstance(state.get(name), TfidfVectorizer):
                state[name] = pack_tfidf(state[name])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        for name in ("word_", "question_"):
            if isinstance(state.get(name), dict):
                state[name] = unpack_tfidf(state[name])
        super().__setstate__(state)

    def _vectorizer(self, ngram_range: Sequence[int]) -> TfidfVectorizer:
        # Lemma strings are already tokenized: split on spaces only.
        return TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False, ngram_range=tuple(ngram_range),
                               min_df=self.min_df, sublinear_tf=True, dtype=np.float32)



_PACKED = ("analyzer", "token_pattern", "lowercase", "min_df", "sublinear_tf")


def pack_tfidf(vectorizer: TfidfVectorizer) -> dict[str, Any]:
    """A fitted TfidfVectorizer as plain data: its settings, its terms in column order, its idf."""
    terms = [""] * len(vectorizer.vocabulary_)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = term
    if any("\n" in term for term in terms):  # never happens: both analyzers split on whitespace
        raise ValueError("a term contains a newline")
    packed = {name: getattr(vectorizer, name) for name in _PACKED}
    packed.update(ngram_range=list(vectorizer.ngram_range), terms="\n".join(terms),
                  idf=np.asarray(vectorizer.idf_, dtype=np.float64))
    return packed


def unpack_tfidf(packed: dict[str, Any]) -> TfidfVectorizer:
    settings = {name: packed[name] for name in _PACKED}
    vectorizer = TfidfVectorizer(ngram_range=tuple(packed["ngram_range"]), dtype=np.float32, **settings)
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(packed["terms"].split("\n"))}
    vectorizer.idf_ = np.asarray(packed["idf"], dtype=np.float64)
    return vectorizer
