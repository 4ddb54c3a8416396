"""Swappable parts by short versioned name (tokenizer backends, vectorisers, clusterers...).

A part registers a factory under a kind and a name; config names it; `resolve` builds it or says what exists.
Factories import their heavy dependencies lazily, so listing names never imports torch or stanza.
"""

from __future__ import annotations

from typing import Any, Callable

from pipeline.errors import ConfigError

_FACTORIES: dict[str, dict[str, Callable[..., Any]]] = {}


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _FACTORIES.setdefault(kind, {})[name] = factory
        return factory

    return decorate


def names(kind: str) -> list[str]:
    return sorted(_FACTORIES.get(kind, {}))


def resolve(kind: str, name: str, *args: Any, **kwargs: Any) -> Any:
    factories = _FACTORIES.get(kind, {})
    if name not in factories:
        raise ConfigError(f"no {kind} named '{name}'", hint=f"available: {', '.join(names(kind)) or 'none'}")
    return factories[name](*args, **kwargs)
