"""Results that take a noticeable time to compute (displays, agreement) kept while the project stays as it was.

The key is the store's revision (`pipeline.store.runs.revision`: the newest row of every table they read, and the
values changed in place), the codebook version and the configuration, so any decision, verdict, ingest, suggestion
run or codebook change computes afresh. Only the last few results are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from pipeline.app.project import Project
from pipeline.store.runs import revision

T = TypeVar("T")
_KEPT = 8
_results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def cached(project: Project, name: str, compute: Callable[[], T], *extra: Any) -> T:
    """`compute()`, or its result from an earlier call on the same project state (`extra`: further key parts)."""
    key = (name, str(project.folder.resolve()), revision(project.store), project.codebook.version,
           repr(project.config), *extra)
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        _results[key] = value
        while len(_results) > _KEPT:
            _results.popitem(last=False)
    return value
