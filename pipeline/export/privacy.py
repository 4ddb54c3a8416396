"""Pseudonymisation of exports: real names from the manifest never leave the project unless asked for.

Each informant with a real name (manifest column `name`, stored as `informants.real_name`) is replaced in every
exported text by `[<informant id>]`, in all its written forms:
- the name as written in the manifest ("Drs. Wahyu Hidayat, M.Pd."), and without titles ("Wahyu Hidayat");
- the first given name, alone or after an honorific ("Wahyu", "Pak Wahyu", "Bu Rina", "Kang Asep");
- any other part of the name after an honorific ("Pak Hidayat").
Titles (Drs., Hj., H., Dr., Prof., ...) and degrees (S.Pd., M.Pd., A.Ma.Pd., S.Pd.SD, ...) are stripped before the
given name is taken. Matching ignores case and respects word boundaries ("Rina" does not touch "Marina"). A short
form shared by two informants becomes `[G01/G05]`: it still names no one.

Other names found in the text (`pipeline.privacy`: colleagues, pupils, schools) come in as `found`, a map from each
form as written to its pseudonym (`[ORANG-3]`); they are replaced when written with a capital or in capitals
("budi" the word stays, "Budi" the pupil goes), and in any case in label terms (`terms`), which are lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable, Mapping

from pipeline.export.offsets import OffsetMap

if TYPE_CHECKING:
    import pandas as pd

HONORIFICS = ("Pak", "Bapak", "Bpk.", "Bpk", "Pa", "Bu", "Ibu", "Mas", "Mbak", "Mba", "Kang", "Akang", "Teh",
              "Teteh", "Ceu", "Euceu", "Bang", "Abang", "Kak", "Kakak", "Dik", "Adik", "Uda", "Uni", "Ustaz", "Ustadz",
              "Ustazah", "Sdr.", "Sdri.", "Saudara", "Saudari", "Ny.", "Nyonya", "Tn.", "Tuan", "Om", "Tante", "Mr.",
              "Mrs.", "Ms.")
TITLES = ("drs", "dra", "dr", "drg", "hj", "h", "ir", "prof", "kh", "ust", "ustadz", "ustazah", "hajah", "haji")
_NAME_PART = re.compile(r"^[^\W\d_][\w'’-]*$")


@dataclass(frozen=True)
class Pseudonymiser:
    """Replaces the known forms of real names by pseudonym ids. `enabled=False` passes text through.

    `names`: a lower-cased form that is replaced even alone (the name as written, without titles, the first given
    name) -> replacement; `parts`: a lower-cased name or part of a name that is replaced after an honorific.
    """

    names: Mapping[str, str]
    parts: Mapping[str, str]
    enabled: bool = True
    found: Mapping[str, str] = field(default_factory=dict)  # form as written (and in capitals) -> pseudonym

    def with_found(self, found: Mapping[str, str]) -> "Pseudonymiser":
        """This pseudonymiser, also replacing the detected names `found` (form as written -> pseudonym)."""
        forms = {re.sub(r"\s+", " ", form).strip(): label for form, label in found.items() if form.strip()}
        forms.update({form.upper(): label for form, label in forms.items()})
        return replace(self, found=forms)

    @classmethod
    def from_informants(cls, informants: Iterable[tuple[str, object]], enabled: bool = True) -> "Pseudonymiser":
        """`informants`: (pseudonym id, real name) pairs; a missing name (None, NaN, "") is skipped."""
        names: dict[str, set[str]] = {}
        parts: dict[str, set[str]] = {}
        for informant, real_name in informants:
            alone, after_honorific = name_forms(real_name if isinstance(real_name, str) else "")
            for form in alone:
                names.setdefault(form.casefold(), set()).add(str(informant))
            for form in after_honorific:
                parts.setdefault(form.casefold(), set()).add(str(informant))

        def label(owners: dict[str, set[str]]) -> dict[str, str]:
            return {form: "[" + "/".join(sorted(ids)) + "]" for form, ids in owners.items()}

        return cls(label(names), label(parts), enabled)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        cached = self.__dict__.get("_pattern")
        if cached is None and (self.names or self.found):
            def alternatives(forms: Iterable[str]) -> str:  # longest first: "Wahyu Hidayat" before "Wahyu"
                return "|".join(_flexible(f) for f in sorted(forms, key=len, reverse=True)) or "(?!)"

            honorifics = alternatives(h.casefold() for h in HONORIFICS)
            cached = re.compile(rf"(?<!\w)(?:(?:{honorifics})\s+(?P<part>{alternatives(self.parts)})"
                                rf"|(?P<name>{alternatives(self.names)})"
                                rf"|(?-i:(?P<found>{alternatives(self.found)})))(?!\w)", re.IGNORECASE)
            object.__setattr__(self, "_pattern", cached)
        return cached

    @property
    def _words(self) -> tuple[str, ...]:
        """Every word of every name without titles (each written form holds one), lower-cased: most texts hold
        none, and a substring test is fast."""
        cached = self.__dict__.get("_word_cache")
        if cached is None:
            words = {w for f in (*self.parts, *self.found) for w in re.findall(r"[^\W\d_]+", f.casefold())}
            for form in self.names:  # a name with no clean part (all titles) is found by its own longer words
                found = re.findall(r"[^\W\d_]{3,}", form)
                if not words.intersection(found):
                    words.update(found)
            cached = tuple(sorted(words))
            object.__setattr__(self, "_word_cache", cached)
        return cached

    def _may_hold_name(self, value: str) -> bool:
        lowered = value.casefold()
        return any(word in lowered for word in self._words)

    def text(self, value: str) -> str:
        """The text with every known name form replaced."""
        if not self.enabled or self.pattern is None or not value or not self._may_hold_name(value):
            return value
        return self.pattern.sub(self._replacement, value)

    def text_with_map(self, value: str) -> tuple[str, OffsetMap]:
        """The replaced text and the map from offsets in `value` to offsets in it."""
        if not self.enabled or self.pattern is None or not value or not self._may_hold_name(value):
            return value, OffsetMap.identity(len(value))
        pieces, replacements, last = [], [], 0
        for match in self.pattern.finditer(value):
            new = self._replacement(match)
            pieces += [value[last:match.start()], new]
            replacements.append((match.start(), match.end(), len(new)))
            last = match.end()
        pieces.append(value[last:])
        return "".join(pieces), OffsetMap.from_replacements(len(value), replacements)

    def value(self, value: object) -> object:
        """Pseudonymise a table cell when it is text; other values pass through."""
        return self.text(value) if isinstance(value, str) else value

    def terms(self, value: str) -> str:
        """Label terms and reasons (lower-case words): informant names and found names in any case."""
        if not self.enabled or not value or not self._may_hold_name(value):
            return value
        lookup = {**{k.casefold(): v for k, v in self.found.items()}, **self.names}
        forms = sorted(lookup, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(_flexible(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
        return pattern.sub(lambda m: lookup[re.sub(r"\s+", " ", m.group()).casefold()], self.text(value))

    def _replacement(self, match: re.Match[str]) -> str:
        if match.group("found") is not None:
            return self.found[re.sub(r"\s+", " ", match.group("found"))]
        part = match.group("part")
        table, found = (self.parts, part) if part is not None else (self.names, match.group("name"))
        return table[re.sub(r"\s+", " ", found).casefold()]


def name_forms(real_name: str) -> tuple[list[str], list[str]]:
    """(forms replaced even alone, forms replaced after an honorific) of a real name."""
    written = re.sub(r"\s+", " ", real_name).strip()
    parts = clean_name(written).split()
    if not parts:  # only an honorific, a role or a title: nothing that names anyone
        return [], []
    alone = {written}
    if parts:
        alone.add(" ".join(parts))
        if len(parts[0]) >= 3:  # a two-letter given name alone would hit ordinary words
            alone.add(parts[0])
    after_honorific = {" ".join(parts), *parts} if parts else set()
    return sorted(alone), sorted(after_honorific)


def clean_name(real_name: str) -> str:
    """The name without titles, honorifics, roles and degrees: "Drs. Wahyu Hidayat, M.Pd." -> "Wahyu Hidayat",
    "Pak Darto (GR02), guru Matematika" -> "Darto" (a name inferred from a header line). An honorific or a role
    must never be a name form: "Pak" alone would replace every "Pak" in the text."""
    from pipeline.privacy.names import HONORIFICS, ROLE_WORDS

    head = re.split(r"[,(]", real_name)[0]  # degrees follow a comma; an id or a role follows in parentheses
    words = head.split()
    while words and (words[0].rstrip(".").casefold() in TITLES or "." in words[0].rstrip(".")):
        words.pop(0)
    kept = [w for w in words if "." not in w and _NAME_PART.match(w)
            and w.casefold() not in HONORIFICS and w.casefold() not in ROLE_WORDS]
    return " ".join(kept)


def _flexible(form: str) -> str:
    """A name form as a pattern in which any run of whitespace matches any run of whitespace."""
    return r"\s+".join(re.escape(word) for word in form.split(" "))


def pseudonymised(table: "pd.DataFrame", privacy: Pseudonymiser, columns: tuple[str, ...]) -> "pd.DataFrame":
    """Real names replaced by pseudonym ids in the given text columns (offsets still point into the stored source,
    whose slice pseudonymised the same way gives the cell)."""
    table = table.copy()
    for column in columns:
        table[column] = table[column].map(lambda value: privacy.text(value) if isinstance(value, str) else value)
    return table
