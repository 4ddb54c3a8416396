"""Clitics, reduplication and lemmas of lower-case Indonesian words.

`bukunya` -> host `buku` + enclitic `nya`; `kuambil` -> proclitic `ku` + `ambil`; `guru-guru` -> `guru` (plural);
`kupu-kupu`, `sehari-hari` stay whole; derivational affixes come off only when the dictionary confirms the root
(see `stemmer.py`). A clitic is split only when the whole word is not itself a known word (`sekolah`, `ilmu`,
`bertemu` = ber+temu) and what remains is one.
"""

from __future__ import annotations

from pipeline.language.resources import Resources
from pipeline.language.stemmer import Stemmer

PARTICLES = ("lah", "kah", "pun", "tah")  # outermost enclitics: bukunyalah = buku + nya + lah
POSSESSIVES = ("nya", "ku", "mu")
PROCLITICS = ("kau", "ku")
ORDINAL_BASES = frozenset("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu".split())


class Morphology:
    def __init__(self, resources: Resources, stemmer: Stemmer) -> None:
        self.res = resources
        self.stemmer = stemmer

    def known(self, word: str) -> bool:
        """A word of the language as it stands: root, listed word, informal form or affixed form of a root."""
        res = self.res
        return (word in res.roots or word in res.lexicon or word in res.keep or word in res.irregular
                or word in res.no_split or self.stemmer.derivable(word))

    def split_clitics(self, word: str) -> tuple[str, str, tuple[str, ...]]:
        """(proclitic, host, enclitics) of a lower-case word; ("", word, ()) when nothing splits."""
        if "-" not in word and (not word.isalpha() or self.known(word)) and word not in self.res.force_split:
            return "", word, ()
        if "-" in word and (word in self.res.roots or word in self.res.whole):
            return "", word, ()
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) > len(particle) + 1:
                rest = word[: -len(particle)]
                pro, host, enclitics = self._split_possessive(rest)
                if enclitics or pro or self._valid_host(host):
                    return pro, host, (*enclitics, particle)
        return self._split_possessive(word)

    def _split_possessive(self, word: str) -> tuple[str, str, tuple[str, ...]]:
        if word in self.res.no_split:
            return "", word, ()
        for clitic in POSSESSIVES:
            if word.endswith(clitic) and len(word) > len(clitic) + 1:
                host = word[: -len(clitic)]
                if self._valid_host(host) or (clitic == "nya" and (host.isalpha() or "-" in host)):
                    pro, host = self._split_proclitic(host)
                    return pro, host, (clitic,)
        pro, host = self._split_proclitic(word)
        return pro, host, ()

    def _split_proclitic(self, word: str) -> tuple[str, str]:
        if self.known(word) or "-" in word:
            return "", word
        for clitic in PROCLITICS:
            rest = word[len(clitic):]
            if word.startswith(clitic) and len(rest) >= 3 and self.known(rest):
                return clitic, rest
        return "", word

    def _valid_host(self, word: str) -> bool:
        if "-" in word:
            first, _, second = word.partition("-")
            return first == second or self.known(first)
        return self.known(word)

    def lemma(self, word: str) -> tuple[str, bool]:
        """(lemma, plural) of a clitic-free, normalised lower-case word."""
        if "-" in word:
            reduplicated = self._reduplication(word)
            if reduplicated is not None:
                return reduplicated
            return word, False
        return self.lemma_simple(word), False

    def lemma_simple(self, word: str) -> str:
        res = self.res
        if word in res.irregular:
            return res.irregular[word]
        if word in res.keep or word in res.roots or not word.isalpha():
            return word
        if word.startswith("ke") and word[2:] in ORDINAL_BASES:  # ordinals: kedua, ketiga
            return word
        return self.stemmer.stem(word)

    def _reduplication(self, word: str) -> tuple[str, bool] | None:
        """guru-guru -> (guru, plural); berlari-lari -> lari; kemerah-merahan -> merah; None: not a reduplication."""
        res = self.res
        if word in res.roots or word in res.whole:
            return word, False
        first, _, second = word.partition("-")
        if not first or not second or "-" in second or not (first.isalpha() and second.isalpha()):
            return None
        if first == second:
            base = self.lemma_simple(first)
            return base, not (first in res.not_plural or base in res.not_plural)
        for a, b in ((first, second), (second, first)):
            if a.endswith(b) and self.lemma_simple(a) == b:  # berlari-lari, tolong-menolong
                return b, False
        if second in (first + "an", first + "nya"):  # besar-besaran
            return self.lemma_simple(first), False
        if first.startswith(("ke", "se")) and second.startswith(first[2:]):  # kemerah-merahan, sebaik-baiknya
            return self.lemma_simple(first[2:]), False
        return None
