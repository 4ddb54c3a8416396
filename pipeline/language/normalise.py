"""Spoken Indonesian -> standard forms, as a token attribute (the text is never rewritten).

Order: the lexicon (`gak` -> `tidak`), written reduplication (`anak2` -> `anak-anak`), elongation (`bangeeet`),
then productive colloquial morphology confirmed by the root dictionary: the bare nasal prefix (`nulis` -> `menulis`,
`nyari` -> `mencari`, `ngecek` -> `mengecek`), the Betawi/Javanese suffix `-in` (`bacain` -> `bacakan`) and vowel
variants of the last syllable (`bener` -> `benar`, `sampe` -> `sampai`, `kalo` -> `kalau`).
"""

from __future__ import annotations

import re

from pipeline.language.morphology import Morphology
from pipeline.language.resources import Resources
from pipeline.language.stemmer import VOWELS, nasal_options

_ELONGATED = re.compile(r"([a-z])\1{2,}")
_DIGIT_REDUPLICATION = re.compile(r"([a-z]{2,})2")
_HESITATION = re.compile(r"e+h*m*|e*h*m+|h+m+|a+h+|o+h+|u+h*m*|m+h*|e+r+m+")
_CLOSED_E = re.compile(r"e([b-df-hj-np-tv-z]{1,2})$")


class Normaliser:
    def __init__(self, resources: Resources, morphology: Morphology) -> None:
        self.res = resources
        self.morph = morphology

    def is_filler(self, word: str) -> bool:
        return (word in self.res.fillers or _HESITATION.fullmatch(word) is not None
                or _ELONGATED.sub(r"\1", word) in self.res.fillers)

    def normalise(self, word: str) -> str | None:
        """The standard form of a lower-case word without clitics, or None when it is already standard or unknown."""
        lexicon = self.res.lexicon
        if word in lexicon:
            return lexicon[word]
        match = _DIGIT_REDUPLICATION.fullmatch(word)
        if match:
            base = match.group(1)
            base = self.normalise(base) or base
            return f"{base}-{base}"
        if "-" in word:  # temen-temen -> teman-teman
            parts = word.split("-")
            standard = [self.normalise(part) or part for part in parts]
            return "-".join(standard) if standard != parts and all(" " not in p for p in standard) else None
        if _ELONGATED.search(word):
            for repl in (r"\1", r"\1\1"):
                shorter = _ELONGATED.sub(repl, word)
                if shorter in lexicon or self.morph.known(shorter):
                    return self.normalise(shorter) or shorter
        if not word.isalpha() or len(word) < 3 or self.morph.known(word):
            return None
        return self._suffix_in(word) or self._bare_nasal(word) or self._vowel_variant(word)

    def _suffix_in(self, word: str) -> str | None:
        """-in (Betawi/Javanese) stands for -kan or -i; -kan is the common reading (`bacain` -> `bacakan`)."""
        if not word.endswith("in") or len(word) < 5:
            return None
        base = word[:-2]
        standard = self.res.lexicon.get(base) or (base if self.morph.known(base) else None) or self._bare_nasal(base)
        if standard is None or " " in standard:
            return None
        return standard + "kan"

    def _bare_nasal(self, word: str) -> str | None:
        """nulis -> menulis, nyari -> mencari, mikir -> memikir, ngecek -> mengecek: speech drops `me-`."""
        productivity = self.res.productivity
        roots = self.res.roots
        if word.startswith("nge") and word[3:] in roots and word[3:4] not in VOWELS:
            return meN(word[3:])
        options = [root for _, root in nasal_options("meN", word) if root in roots and root != word]
        if not options or not word.startswith(("ng", "ny", "m", "n")):
            return None
        return meN(max(options, key=lambda root: (productivity.get(root, 0), len(root))))

    def _vowel_variant(self, word: str) -> str | None:
        roots = self.res.roots
        candidates = [_CLOSED_E.sub(r"a\1", word)]
        if word.endswith("e"):
            candidates.append(word[:-1] + "ai")
        if word.endswith("o"):
            candidates.append(word[:-1] + "au")
        return next((c for c in candidates if c != word and c in roots), None)


def meN(root: str) -> str:
    """The active verb of a root with the right form of meN- (`tulis` -> `menulis`, `kirim` -> `mengirim`)."""
    first, second = root[:1], root[1:2]
    if sum(c in VOWELS for c in root) == 1:  # monosyllabic: cek -> mengecek
        return "menge" + root
    if first in VOWELS or first in ("g", "h"):
        return "meng" + root
    if first == "k":
        return "meng" + (root[1:] if second in VOWELS else root)
    if first in ("b", "f", "v"):
        return "mem" + root
    if first == "p":
        return "mem" + (root[1:] if second in VOWELS else root)
    if first in ("c", "d", "j", "z"):
        return "men" + root
    if first == "t":
        return "men" + (root[1:] if second in VOWELS else root)
    if first == "s":
        return "meny" + root[1:] if second in VOWELS else "men" + root
    return "me" + root
