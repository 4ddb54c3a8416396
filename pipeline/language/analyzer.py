"""Per word type: normal form, lemma, clitics, reduplication, stop word, filler. Cached: vocabularies are Zipfian.

Backends tokenize; the analyzer says what each token is. A key with capitals (`KKG`, `Bandung` mid-sentence) is
taken as a name or an acronym and is neither split nor stemmed; backends lower-case a sentence-initial capital
before asking, so `Pembelajaran` opening a sentence is analysed as `pembelajaran`.
"""

from __future__ import annotations

from typing import NamedTuple

from pipeline.language.morphology import Morphology
from pipeline.language.normalise import Normaliser
from pipeline.language.resources import Resources, load_resources
from pipeline.language.stemmer import Stemmer


class Analysis(NamedTuple):
    norm: str
    lemma: str
    is_stop: bool
    is_punct: bool
    is_nonlexical: bool
    plural: bool
    proclitic: str
    enclitics: tuple[str, ...]


class Analyzer:
    """Analyses word types; one instance per backend, its cache grows with the vocabulary it has seen."""

    def __init__(self, resources: Resources | None = None) -> None:
        self.res = resources or load_resources()
        self.morphology = Morphology(self.res, Stemmer(self.res.roots, self.res.productivity))
        self.normaliser = Normaliser(self.res, self.morphology)
        self.cache: dict[str, Analysis] = {}

    def analyse(self, text: str) -> Analysis:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._analyse(text)
        return found

    def _analyse(self, text: str) -> Analysis:
        lower = text.lower()
        if not any(c.isalnum() for c in text):
            return Analysis(text, text, False, True, True, False, "", ())
        stop_words = self.res.stop_words
        if (lower != text and not self._common_word(lower)) or not lower.isascii():
            return Analysis(lower, lower, lower in stop_words, False, False, False, "", ())
        if self.normaliser.is_filler(lower):
            norm = self.res.lexicon.get(lower, lower)
            return Analysis(norm, norm, True, False, True, False, "", ())
        proclitic, host, enclitics = self.morphology.split_clitics(lower)
        host_norm = self.normaliser.normalise(host) or host
        if " " in host_norm:  # several standard words ("tidak apa-apa"): no single lemma to find
            lemma, plural = host_norm, False
        else:
            lemma, plural = self.morphology.lemma(host_norm)
        norm = f"{proclitic}{host_norm}{''.join(enclitics)}" if proclitic or enclitics else host_norm
        is_stop = norm in stop_words or ((proclitic != "" or enclitics != ()) and host_norm in stop_words)
        return Analysis(norm, lemma, is_stop, False, self.normaliser.is_filler(host), plural, proclitic, enclitics)

    def _common_word(self, lower: str) -> bool:
        """Capitalised function words (`Ia`, `Yang` after a quote) are not names."""
        res = self.res
        return lower in res.stop_words or lower in res.irregular or lower in res.lexicon
