"""Data the language layer reads: packaged word lists and lexicon, Sastrawi's roots, spaCy's tables.

Everything here is loaded once per process (`load_resources` is cached by its arguments) and frozen.
The packaged files live in `pipeline/language/data/` so a non-editable install finds them; a project adds its own
normalisation entries with `[language] lexicon = "path.tsv"` in configs/reduksi.toml.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from pipeline.errors import BackendUnavailable, ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "normalisasi.tsv"
WORDS_FILE = DATA_DIR / "words.toml"
LEXICON_KINDS = ("lisan", "daerah", "singkatan", "ejaan")


@dataclass(frozen=True)
class Resources:
    roots: frozenset[str]
    productivity: Mapping[str, int]  # how many derived words spaCy's lookup table maps to each lemma
    lexicon: Mapping[str, str]  # informal -> standard
    keep: frozenset[str]
    irregular: Mapping[str, str]
    no_split: frozenset[str]
    force_split: frozenset[str]
    not_plural: frozenset[str]
    whole: frozenset[str]
    fillers: frozenset[str]
    stop_words: frozenset[str]


@cache
def load_resources(lexicon: str = "", stop_words_add: tuple[str, ...] = (),
                   stop_words_keep: tuple[str, ...] = ()) -> Resources:
    """Build the shared resources; `lexicon` is an extra TSV whose entries override the packaged ones."""
    words = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    entries = read_lexicon(LEXICON_FILE)
    if lexicon:
        entries.update(read_lexicon(Path(lexicon)))
    lemma_lookup = spacy_table("id_lemma_lookup")
    roots = (_sastrawi_roots() | set(words["roots"]["add"])) - set(words["roots"]["remove"])
    stop = _stop_words(words["stop_words"], words["fillers"]["words"], stop_words_add, stop_words_keep)
    return Resources(
        roots=frozenset(roots),
        productivity=MappingProxyType(Counter(lemma_lookup.values())),
        lexicon=MappingProxyType(entries),
        keep=frozenset(words["lemma"]["keep"]),
        irregular=MappingProxyType(dict(words["lemma"]["irregular"])),
        no_split=frozenset(words["clitics"]["no_split"]),
        force_split=frozenset(words["clitics"]["split"]),
        not_plural=frozenset(words["reduplication"]["not_plural"]),
        whole=frozenset(words["reduplication"]["whole"]),
        fillers=frozenset(words["fillers"]["words"]),
        stop_words=stop,
    )


def read_lexicon(path: Path) -> dict[str, str]:
    """informal<TAB>standard<TAB>kind lines; '#' comments. Errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("normalisation lexicon not found", file=path, key="language.lexicon") from None
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0] or not fields[1] or fields[2] not in LEXICON_KINDS:
            raise ConfigError(f"expected 'informal<TAB>standard<TAB>kind' with kind one of {', '.join(LEXICON_KINDS)}",
                              file=path, line=number)
        entries[fields[0].strip().lower()] = fields[1].strip().lower()
    return entries


def _stop_words(config: dict, fillers: list[str], add: tuple[str, ...], keep: tuple[str, ...]) -> frozenset[str]:
    from spacy.lang.id.stop_words import STOP_WORDS

    words = (set(STOP_WORDS) - set(config["keep"]) | set(config["add"]) | set(fillers) | set(add)) - set(keep)
    return frozenset(w.lower() for w in words)


def _sastrawi_roots() -> set[str]:
    spec = importlib.util.find_spec("Sastrawi")
    if spec is None or spec.origin is None:
        raise BackendUnavailable("the root dictionary of 'pysastrawi' is missing", hint="pip install pysastrawi")
    path = Path(spec.origin).parent / "Stemmer" / "data" / "kata-dasar.txt"
    return {w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip()}


def spacy_table(name: str) -> dict[str, str]:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise BackendUnavailable("spaCy's lookup tables are missing", hint="pip install spacy-lookups-data")
    path = Path(spec.origin).parent / "data" / f"{name}.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {k.lower(): v.lower() for k, v in json.load(handle).items()}
