"""Indonesian language layer: tokenizer backends behind one contract."""

from __future__ import annotations

from pipeline import registry
from pipeline.language import spacy_backend as _spacy_backend  # noqa: F401  (registers "spacy")
from pipeline.language.base import Token, TokenizerBackend

__all__ = ["Token", "TokenizerBackend", "load_backend"]


def load_backend(name: str = "spacy", **options: object) -> TokenizerBackend:
    """Build the tokenizer backend named in config; unknown names list what exists."""
    return registry.resolve("tokenizer", name, **options)
