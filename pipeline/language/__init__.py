"""Indonesian language layer: tokenizer backends behind one contract.

`load_backend("spacy")` (default) or `load_backend("stanza", model_dir=...)`; `backend_from_config(config)` builds
the one named in `[language]` of configs/reduksi.toml. Every backend has a versioned `name` and an `info` dict that
runs record, so it is always known which backend produced a run's tokens.
"""

from __future__ import annotations

from typing import Any

from pipeline import registry
from pipeline.language import spacy_backend as _spacy_backend  # noqa: F401  (registers "spacy")
from pipeline.language import stanza_backend as _stanza_backend  # noqa: F401  (registers "stanza"; imports lazily)
from pipeline.language.base import CLITIC_LEMMAS, Token, TokenizerBackend, Word

__all__ = ["CLITIC_LEMMAS", "Token", "TokenizerBackend", "Word", "backend_from_config", "load_backend"]


def load_backend(name: str = "spacy", **options: object) -> TokenizerBackend:
    """Build the tokenizer backend named in config; unknown names list what exists."""
    return registry.resolve("tokenizer", name, **options)


def backend_from_config(config: Any) -> TokenizerBackend:
    """The backend of a loaded `Config` (its `[language]` table), with paths resolved against the project root."""
    language = config.language
    options: dict[str, Any] = {
        "lexicon": str(config.path(language.lexicon)) if language.lexicon else "",
        "stop_words_add": tuple(language.stop_words_add),
        "stop_words_keep": tuple(language.stop_words_keep),
    }
    if language.backend == "stanza":
        options["model_dir"] = str(config.path(language.stanza_model_dir)) if language.stanza_model_dir else ""
        options["package"] = language.stanza_package
    return load_backend(language.backend, **options)
