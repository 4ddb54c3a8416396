"""A review session: walk a queue of excerpts and turn a reviewer's keys into decisions in the log.

No terminal here (see `pipeline/review/terminal.py`): the session holds the excerpt on screen and the reviewer's
working selection of codes, and writes each decision at once, in its own transaction, so quitting at any moment loses
nothing. Saving a selection becomes decisions by `decision_log.selection_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.decision_log import Step, selection_steps
from pipeline.errors import ReviewError
from pipeline.store import Store, decisions
from pipeline.store.decisions import Decision


@dataclass(frozen=True)
class Shown:
    """What the reviewer sees for one excerpt: the excerpt row and the suggestions it answers."""

    excerpt: dict[str, Any]
    suggestions: tuple[dict[str, Any], ...]  # code, probability, origin, reasons, rank, context_reasons — best first
    run_id: int | None
    model_version: str | None

    @property
    def suggested(self) -> frozenset[str]:
        return frozenset(s["code"] for s in self.suggestions)


@dataclass
class ReviewSession:
    store: Store
    codebook: Codebook
    reviewer: str
    order: list[int]  # excerpt ids, most useful first
    excerpts: pd.DataFrame  # excerpt frame (at least the queued excerpts)
    suggestions: pd.DataFrame  # stored suggestions (pipeline.store.suggestions.COLUMNS)
    fallback_version: str | None = None  # recorded when an excerpt has no stored suggestion
    origin: str = "review"
    selection: set[str] = field(default_factory=set)
    done: int = 0
    # Re-ranking while reviewing: every `requeue_every` decisions, `requeue()` gives a fresh order (excerpt ids).
    requeue: Callable[[], list[int]] | None = None
    requeue_every: int = 0
    # A re-rank that runs elsewhere (see `app.review.BackgroundRanker`): after each decision, a finished ranking is
    # taken (None: nothing new), so the order changes only between two excerpts, never under the reviewer's eyes.
    ranked_later: Callable[[], list[int] | None] | None = None

    def __post_init__(self) -> None:
        if not self.reviewer.strip():
            raise ReviewError("a review needs a reviewer name", hint="pass --reviewer NAME")
        self._rows = {int(r["excerpt_id"]): r for r in self.excerpts.to_dict("records")}
        self._by_excerpt = {int(k): g.sort_values("rank") for k, g in self.suggestions.groupby("excerpt_id")}
        self._skipped: set[int] = set()
        self._seen: list[int] = []  # excerpts shown before the current one, in order (for `previous`)
        self._reset_selection()

    # ---- what is on screen -------------------------------------------------------------------------------------

    @property
    def current(self) -> Shown | None:
        if not self.order:
            return None
        excerpt_id = self.order[0]
        rows = self._by_excerpt.get(excerpt_id)
        shown = ["code", "probability", "origin", "reasons", "rank", "context_reasons"]
        suggestions = () if rows is None else tuple(rows.reindex(columns=shown).to_dict("records"))
        run_id = None if rows is None else int(rows["run_id"].iloc[0])
        version = self.fallback_version if rows is None else str(rows["model_version"].iloc[0])
        return Shown(self._rows[excerpt_id], suggestions, run_id, version)

    @property
    def remaining(self) -> int:
        return len(self.order)

    def _reset_selection(self) -> None:
        shown = self.current
        if shown is None:
            self.selection = set()
            return
        mine = decisions.current_labels(self.store, reviewer=self.reviewer)
        excerpt_id = int(shown.excerpt["excerpt_id"])
        self.selection = set(mine[excerpt_id]) if excerpt_id in mine else set(shown.suggested)

    # ---- keys ---------------------------------------------------------------------------------------------------

    def toggle(self, numbers: list[int]) -> None:
        """Toggle codes by their 1-based number in the codebook."""
        bad = [n for n in numbers if not 1 <= n <= len(self.codebook.codes)]
        if bad:
            raise ReviewError(f"no code number {', '.join(map(str, bad))}",
                              hint=f"codes are numbered 1..{len(self.codebook.codes)}")
        for n in numbers:
            self.selection ^= {self.codebook.codes[n - 1].id}

    def choose(self, codes: list[str]) -> None:
        """Set the working selection to these code ids (a shell that toggles codes on its side sends them all)."""
        unknown = sorted(set(codes) - set(self.codebook.ids))
        if unknown:
            raise ReviewError(f"unknown code(s) {', '.join(unknown)}",
                              hint=f"known codes: {', '.join(self.codebook.ids)}")
        self.selection = set(codes)

    def save(self) -> list[Decision]:
        """Record the working selection (see the module docstring) and move on."""
        shown = self._shown()
        return self._record(shown, selection_steps(shown.suggested, frozenset(self.selection)), advance=True)

    def reject(self) -> list[Decision]:
        """The suggested codes are wrong (with nothing suggested: a verified "no code")."""
        shown = self._shown()
        return self._record(shown, [("reject", shown.suggested)], advance=True)

    def irrelevant(self) -> list[Decision]:
        """Mark the excerpt "tidak relevan": verified with no code, and left out of clustering (undo takes it back)."""
        return self._record(self._shown(), [("irrelevant", frozenset())], advance=True)

    def note(self, text: str) -> list[Decision]:
        if not text.strip():
            raise ReviewError("an empty note was not recorded")
        return self._record(self._shown(), [("note", frozenset())], note=text.strip(), advance=False)

    def skip(self) -> None:
        """Leave this excerpt for later: it moves to the end of the session (and stays unverified)."""
        self._shown()
        self._skipped.add(self.order[0])
        self._seen.append(self.order[0])
        self.order.append(self.order.pop(0))
        self._reset_selection()

    def previous(self) -> bool:
        """Show again the excerpt shown before this one (decided or skipped; a new decision on it adds to the log).
        False when there is none."""
        while self._seen:
            excerpt_id = self._seen.pop()
            if excerpt_id in self._rows:
                if excerpt_id in self.order:
                    self.order.remove(excerpt_id)
                self.order.insert(0, excerpt_id)
                self._reset_selection()
                return True
        return False

    def undo(self) -> Decision | None:
        """Cancel this reviewer's last decision that still counts, and show its excerpt again."""
        with self.store.transaction():
            event = decisions.undo(self.store, self.reviewer, origin=self.origin)
        if event is None:
            return None
        if event.excerpt_id in self._rows:
            if event.excerpt_id in self.order:
                self.order.remove(event.excerpt_id)
            self.order.insert(0, event.excerpt_id)
            self.done = max(self.done - 1, 0)
        self._reset_selection()
        return event

    def _reorder(self, ranked: list[int]) -> None:
        """Follow `ranked` for the excerpts still to do; any it leaves out, then the skipped ones, come after."""
        waiting = set(self.order) - self._skipped
        first = [e for e in dict.fromkeys(ranked) if e in waiting]
        chosen = set(first)
        self.order = (first + [e for e in self.order if e not in chosen and e not in self._skipped]
                      + [e for e in self.order if e in self._skipped])

    def _shown(self) -> Shown:
        shown = self.current
        if shown is None:
            raise ReviewError("nothing left to review")
        return shown

    def _record(self, shown: Shown, steps: list[Step], *, note: str | None = None,
                advance: bool) -> list[Decision]:
        excerpt_id = int(shown.excerpt["excerpt_id"])
        batch = [Decision(excerpt_id, self.reviewer, action, tuple(sorted(codes)), note=note,
                          suggestion_run_id=shown.run_id, model_version=shown.model_version, origin=self.origin)
                 for action, codes in steps]
        with self.store.transaction():
            ids = decisions.append(self.store, batch, known_codes=self.codebook.ids)
        if advance:
            self._seen.append(self.order.pop(0))
            self.done += 1
            if self.requeue is not None and self.requeue_every > 0 and self.done % self.requeue_every == 0:
                self._reorder(self.requeue())
            later = self.ranked_later() if self.ranked_later is not None else None
            if later:
                self._reorder(later)
            self._reset_selection()
        return [replace(d, id=i) for d, i in zip(batch, ids)]
