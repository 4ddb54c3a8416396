"""Dictionary-confirmed stripping of Indonesian derivational affixes.

`meningkatkan`, `peningkatan`, `ditingkatkan` -> `tingkat`. An affix comes off only when what is left is a root in
the dictionary (Sastrawi's `kata-dasar.txt`, shipped in `pysastrawi`); a word whose root cannot be confirmed stays
whole. When several analyses reach a root, the one removing fewer affixes wins (`mengalami` -> `alami`, not `alam`+`i`),
then (`gerakan` = `gerak`+`an` or `gera`+`kan`) the root that more derived words lead to in spaCy's `id_lemma_lookup`
table, then the longer root.
"""

from __future__ import annotations

from typing import Iterator, Mapping

VOWELS = frozenset("aeiou")
SUFFIXES = ("kan", "an", "i")
# Prefix/suffix pairs Indonesian does not combine (outer prefix, suffix), e.g. `di-...-an`.
_FORBIDDEN_CONFIXES = frozenset({("ber", "i"), ("di", "an"), ("ke", "i"), ("ke", "kan"), ("meN", "an"), ("se", "i"),
                                 ("se", "kan"), ("ter", "an")})
_MAX_PREFIXES = 3
_MIN_ROOT = 3


class Stemmer:
    """Find the root of a lower-case word; the word itself when no dictionary root is reachable."""

    def __init__(self, roots: frozenset[str], productivity: Mapping[str, int]) -> None:
        self.roots = roots
        self.productivity = productivity

    def stem(self, word: str) -> str:
        if word in self.roots or not word.isalpha():
            return word
        best = None
        for root, affixes in self._candidates(word):
            key = (-affixes, self.productivity.get(root, 0), len(root))
            if best is None or key > best[0]:
                best = (key, root)
        return best[1] if best else word

    def derivable(self, word: str) -> bool:
        """True when the word is a root or an affixed form of one."""
        return word in self.roots or (word.isalpha() and next(self._candidates(word), None) is not None)

    def _candidates(self, word: str) -> Iterator[tuple[str, int]]:
        """(root, number of affixes removed) for every analysis that ends in a dictionary root."""
        for suffix in ("", *SUFFIXES):
            if suffix and not word.endswith(suffix):
                continue
            base = word[: len(word) - len(suffix)] if suffix else word
            extra = 1 if suffix else 0
            if suffix and len(base) >= _MIN_ROOT and base in self.roots:
                yield base, extra
            for outer, root, depth in _strip_prefixes(base, _MAX_PREFIXES, "", 1):
                if root in self.roots and len(root) >= _MIN_ROOT and (outer, suffix) not in _FORBIDDEN_CONFIXES:
                    yield root, depth + extra


def _strip_prefixes(word: str, depth: int, outer: str, removed: int) -> Iterator[tuple[str, str, int]]:
    """Every (outermost prefix kind, remainder, prefixes removed) reachable by removing 1..depth prefixes."""
    if depth == 0:
        return
    for kind, rest in _prefix_options(word):
        if len(rest) < _MIN_ROOT:
            continue
        first = outer or kind
        yield first, rest, removed
        yield from _strip_prefixes(rest, depth - 1, first, removed + 1)


def _prefix_options(word: str) -> Iterator[tuple[str, str]]:
    head2, head3 = word[:2], word[:3]
    if head2 in ("di", "ke", "se"):
        yield head2, word[2:]
    if head3 in ("ber", "ter", "per"):
        yield head3, word[3:]
    if head2 in ("be", "te", "pe") and word[2:3] == "r":  # be+rasa? te+rasa = terasa, pe+rampok
        yield {"be": "ber", "te": "ter", "pe": "per"}[head2], word[2:]
    if head2 in ("be", "pe") and word[2:4] in ("ke", "se", "te"):  # bekerja, pekerja, peserta, beternak
        yield {"be": "ber", "pe": "per"}[head2], word[2:]
    if head3 in ("bel", "pel") and word[3:7] == "ajar":  # belajar, pelajar
        yield ("ber" if head3 == "bel" else "per"), word[3:]
    if head2 in ("me", "pe"):
        yield from nasal_options("meN" if head2 == "me" else "peN", word[2:])


def nasal_options(kind: str, rest: str) -> Iterator[tuple[str, str]]:
    """meN-/peN-: the nasal assimilates to the root's first sound, which may drop (men+tulis = menulis)."""
    if rest.startswith("nge") and len(rest) > 3:  # mengecat: monosyllabic roots
        yield kind, rest[3:]
    if rest.startswith("ng"):
        tail = rest[2:]
        if tail[:1] in VOWELS:
            yield kind, tail
            yield kind, "k" + tail
        elif tail[:1] in ("g", "h", "k"):
            yield kind, tail
    elif rest.startswith("ny"):
        if rest[2:3] in VOWELS:
            yield kind, "s" + rest[2:]
            yield kind, "c" + rest[2:]
    elif rest.startswith("m"):
        tail = rest[1:]
        if tail[:1] in ("b", "f", "v", "p"):
            yield kind, tail
        elif tail[:1] in VOWELS:
            yield kind, "p" + tail
    elif rest.startswith("n"):
        tail = rest[1:]
        if tail[:1] in ("c", "d", "j", "t", "s", "z"):
            yield kind, tail
        elif tail[:1] in VOWELS:
            yield kind, "t" + tail
    if rest[:1] in ("l", "m", "n", "r", "w", "y"):  # melihat, memakan, menanti, merasa, menyanyi
        yield kind, rest
