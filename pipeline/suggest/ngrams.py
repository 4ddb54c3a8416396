"""Character n-grams within words (sklearn's `char_wb`), TF-IDF weighted, with the n-gram columns cached per word.

scikit-learn analyses and counts every n-gram of every excerpt in Python; here each word type is analysed once, so
an excerpt costs one lookup per word. The numbers are exactly those of
`TfidfVectorizer(analyzer="char_wb", ngram_range=..., sublinear_tf=True)` (which also does the fitting).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


class CharNgrams:
    """Learned state of the character n-gram block: vocabulary and idf (plus a per-word cache, never persisted)."""

    def __init__(self, ngram_range: Sequence[int] = (2, 5), min_df: int = 1) -> None:
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.min_df = min_df
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self._cache: dict[str, np.ndarray] = {}

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        """Learn vocabulary and idf from `texts` (already lower-cased and cleaned); return their matrix."""
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, min_df=self.min_df,
                                     lowercase=False, sublinear_tf=True, dtype=np.float32)
        matrix = vectorizer.fit_transform(texts)
        self.vocabulary = dict(vectorizer.vocabulary_)
        self.idf = vectorizer.idf_.astype(np.float32)
        self._cache = {}
        return matrix.tocsr()

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        rows = [self._columns(text) for text in texts]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=indptr[1:])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
        counts = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                               shape=(len(rows), len(self.vocabulary)))
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]  # sublinear tf x idf
        return normalize(counts).astype(np.float32)

    def feature_names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for term, column in self.vocabulary.items():
            names[column] = term
        return names

    def __getstate__(self) -> dict[str, Any]:
        # One newline-joined string of terms: skops would spell out a dict entry by entry.
        return {"ngram_range": list(self.ngram_range), "min_df": self.min_df, "terms": "\n".join(self.feature_names()),
                "idf": self.idf}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["ngram_range"], state["min_df"])  # type: ignore[misc]
        terms = state["terms"].split("\n") if state["terms"] else []
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        self.idf = np.asarray(state["idf"], dtype=np.float32)

    def _columns(self, text: str) -> np.ndarray:
        parts = []
        for word in text.split():
            columns = self._cache.get(word)
            if columns is None:
                columns = self._cache[word] = self._word_columns(word)
            parts.append(columns)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)

    def _word_columns(self, word: str) -> np.ndarray:
        """Columns of the known n-grams of one word, padded with spaces, as sklearn's `_char_wb_ngrams` makes them."""
        padded = f" {word} "
        found: list[int] = []
        low, high = self.ngram_range
        for n in range(low, high + 1):
            offset = 0
            grams = [padded[offset:offset + n]]
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset:offset + n])
            found.extend(self.vocabulary[g] for g in grams if g in self.vocabulary)
            if offset == 0:  # the word is shorter than n: longer n-grams would repeat it
                break
        return np.asarray(found, dtype=np.int32)
