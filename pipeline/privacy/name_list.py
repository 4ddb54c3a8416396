"""Lists of Indonesian name words that ship in registry packages, checked without loading any model.

Two lists, either enough to name a word: Faker's Indonesian person names (`faker`, MIT, a base dependency: about
870 first and family names, read from its `id_ID` person provider) and, when installed, the much larger word
vocabulary of `indonamegender` (MIT, on PyPI; the `names` extra, in `dev`): about 25,000 words of Indonesian
personal names, stored as salted BLAKE2s keys. We read that vocabulary with an unpickler that admits only its one
plain class, so nothing in the file can run, and never import the package (which would load torch).
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
from functools import cache
from pathlib import Path

from pipeline.errors import BackendUnavailable

PACKAGE = "indonamegender"
VOCABULARY = Path("data") / "word_tokenizer.pkl"
SALT = "indonamegender-v1"  # the package's own salt (tokenizers.VOCAB_SALT)


class _Vocabulary:
    """Stands in for the package's WordTokenizer: a plain object whose attributes the file sets."""

    word2idx: dict[str, int]


class _OnlyVocabulary(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if name == "WordTokenizer" and module in ("__main__", f"{PACKAGE}.tokenizers"):
            return _Vocabulary
        raise pickle.UnpicklingError(f"{PACKAGE} vocabulary: refusing to load {module}.{name}")


@cache
def _keys() -> frozenset[str]:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(list(spec.submodule_search_locations)[0]) / VOCABULARY
    if not path.is_file():
        return frozenset()
    try:
        with path.open("rb") as handle:
            vocabulary = _OnlyVocabulary(handle).load()
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
        raise BackendUnavailable(f"{path}: the name list of '{PACKAGE}' cannot be read ({error})",
                                 hint=f"pip install '{PACKAGE}>=1.1,<2' (the `names` extra)") from None
    return frozenset(getattr(vocabulary, "word2idx", {}))


def _key(word: str) -> str:
    return hashlib.blake2s((SALT + word).encode("utf-8"), digest_size=8).hexdigest()


@cache
def _faker_names() -> frozenset[str]:
    """Faker's Indonesian first and family names, case-folded (empty if Faker is missing)."""
    try:
        from faker.providers.person.id_ID import Provider
    except ImportError:
        return frozenset()
    lists = ("first_names_male", "first_names_female", "last_names_male", "last_names_female", "first_names",
             "last_names")
    return frozenset(str(name).casefold() for attribute in lists for name in getattr(Provider, attribute, ()))


def is_listed_name(word: str) -> bool:
    """Whether `word` (any case) is a word of Indonesian personal names in a shipped list."""
    folded = word.casefold()
    if folded in _faker_names():
        return True
    keys = _keys()
    return bool(keys) and _key(folded) in keys


def name_lists() -> tuple[str, ...]:
    """The name lists in use (for reports): 'faker', 'indonamegender'."""
    return tuple(name for name, found in (("faker", _faker_names()), (PACKAGE, _keys())) if found)


def name_list_available() -> bool:
    return bool(name_lists())
