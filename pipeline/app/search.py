"""Search: full-text and lemma search over the project's current excerpts, keyword in context, filters by code,
informant, role, method, site and verification state; a search saved as a set can be coded in bulk (each excerpt
still one logged decision).

Query words are matched as whole words (a trailing `*` matches a prefix; "quoted words" match as a phrase). With
lemmas (the default) a word also matches its other forms: `mengajar` finds `ajar`, `diajarkan`, `pengajaran`, since
each excerpt is indexed with its lemmas as well as its text. The index fills itself for excerpts it lacks.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import asdict, dataclass

from pipeline.app.project import Project
from pipeline.errors import ReviewError
from pipeline.store import decisions
from pipeline.store import search as index
from pipeline.store.db import now
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.suggestions import suggestions_for

STATES = ("all", "verified", "unverified", "irrelevant")
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class SearchFilter:
    codes: tuple[str, ...] = ()  # verified or suggested
    informants: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    state: str = "all"
    rounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    excerpt_id: int
    key: str
    source: str
    informant: str
    role: str
    method: str
    left: str  # keyword in context: the text before the match, the match, the text after
    match: str
    right: str
    verified: tuple[str, ...] | None  # verified codes (None: not verified)
    suggested: tuple[str, ...]


def ensure_index(project: Project, progress: Callable[[int, int], None] | None = None) -> int:
    """Index the excerpts the search index lacks (text and lemmas); returns how many were added."""
    from pipeline.suggest.features import Lemmatizer

    missing = index.unindexed(project.store)
    lemmatizer = Lemmatizer(project.config.suggest.lemma_backend)
    rows = []
    for done, (excerpt_id, text) in enumerate(missing, start=1):
        rows.append((excerpt_id, text, lemmatizer.lemma_text(text)))
        if progress is not None:
            progress(done, len(missing))
    with project.store.transaction():
        index.add_to_index(project.store, rows)
    return len(rows)


def search(project: Project, query: str, *, lemmas: bool = True, where: SearchFilter = SearchFilter(),
           limit: int | None = None, in_context: int | None = 500) -> list[Hit]:
    """The current excerpts matching `query` and `where`, best first; the first `in_context` hits (None: all) with
    their keyword in context, the rest with the excerpt's opening (a saved set needs them all, a page a few)."""
    if where.state not in STATES:
        raise ReviewError(f"unknown state '{where.state}'", hint=f"use one of: {', '.join(STATES)}")
    unknown = sorted(set(where.codes) - set(project.codebook.ids))
    if unknown:
        raise ReviewError(f"unknown code(s) {', '.join(unknown)}", hint="see `reduksi codebook show PROJECT`")
    terms = _terms(query)
    ensure_index(project)
    lemma_of = _lemmas(project, terms) if lemmas else {}
    ranked = index.match(project.store, _expression(terms, lemma_of))
    rows = excerpts_frame(project.store).set_index("excerpt_id").to_dict("index")
    ranked = [e for e in ranked if e in rows]  # older versions of a source drop out
    state = decisions.label_state(project.store)
    suggested: dict[int, tuple[str, ...]] = {}
    for e, code, _, _ in suggestions_for(project.store, ranked):
        suggested[e] = (*suggested.get(e, ()), code)
    hits: list[Hit] = []
    for excerpt_id in ranked:
        row = rows[excerpt_id]
        verified = state.labels.get(excerpt_id)
        mine = tuple(sorted(verified)) if verified is not None else None
        if not _passes(row, mine, suggested.get(excerpt_id, ()), excerpt_id in state.irrelevant, where):
            continue
        text = str(row["text"])
        shown = in_context is None or len(hits) < in_context
        left, found, right = keyword_in_context(text, terms, lemma_of, project) if shown else ("", "", text[:120])
        hits.append(Hit(excerpt_id, str(row["key"]), str(row["source"]), _text(row["informant"]), _text(row["role"]),
                        _text(row["method"]), left, found, right, mine, suggested.get(excerpt_id, ())))
        if limit is not None and len(hits) >= limit:
            break
    return hits


def save_search(project: Project, name: str, query: str, hits: list[Hit], where: SearchFilter,
                reviewer: str) -> index.SearchSet:
    """Keep a search's results as a named set (saving a name again makes a new version of it)."""
    if not name.strip() or not reviewer.strip():
        raise ReviewError("a saved search needs a name and a reviewer", hint="pass --save NAME -r REVIEWER")
    found = index.SearchSet(name.strip(), query, asdict(where), tuple(h.excerpt_id for h in hits), reviewer, now())
    with project.store.transaction():
        index.save_set(project.store, found)
    return found


def saved_searches(project: Project) -> list[index.SearchSet]:
    return index.search_sets(project.store)


def code_set(project: Project, name: str, code: str, reviewer: str) -> int:
    """Add `code` to every excerpt of the saved set `name` that lacks it: one logged `add` decision per excerpt,
    all in one transaction; returns how many were added."""
    if code not in project.codebook.ids:
        raise ReviewError(f"unknown code '{code}'", hint="see `reduksi codebook show PROJECT`")
    sets = {s.name: s for s in index.search_sets(project.store)}
    if name not in sets:
        raise ReviewError(f"no saved search '{name}'", hint=f"saved: {', '.join(sets) or 'none'}")
    labels = decisions.current_labels(project.store)
    todo = [e for e in sets[name].excerpt_ids if code not in labels.get(e, frozenset())]
    with project.store.transaction():
        decisions.append(project.store, [decisions.Decision(e, reviewer, "add", (code,), note=f"set: {name}")
                                         for e in todo], known_codes=project.codebook.ids)
    return len(todo)


def keyword_in_context(text: str, terms: list[str], lemma_of: dict[str, str],
                       project: Project | None = None) -> tuple[str, str, str]:
    """(left, match, right) around the first query word (or a form sharing its lemma) in `text`."""
    span = _first_span(text, terms)
    if span is None and lemma_of and project is not None:
        from pipeline.suggest.features import Lemmatizer

        wanted = {word for lemma in lemma_of.values() for word in lemma.split()}
        forms = [w for w, lemma in Lemmatizer(project.config.suggest.lemma_backend).words(text) if lemma in wanted]
        span = _first_span(text, forms)
    if span is None:
        return "", "", text[:2 * CONTEXT_CHARS]
    start, end = span
    left, right = text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]
    return ("…" if start > CONTEXT_CHARS else "") + left, text[start:end], \
        right + ("…" if end + CONTEXT_CHARS < len(text) else "")


def _terms(query: str) -> list[str]:
    try:
        parts = shlex.split(query)
    except ValueError:  # an unbalanced quote: read the words as they are
        parts = query.replace('"', " ").split()
    terms = [p.strip() for p in parts if p.strip().strip("*")]
    if not terms:
        raise ReviewError("an empty search", hint="type one or more words")
    return terms


def _lemmas(project: Project, terms: list[str]) -> dict[str, str]:
    """Term -> its lemmas (a prefix term is matched on the text only; a stop word has none)."""
    from pipeline.suggest.features import Lemmatizer

    lemmatizer = Lemmatizer(project.config.suggest.lemma_backend)
    found = {term: lemmatizer.lemma_text(term) for term in terms if not term.endswith("*")}
    return {term: lemma for term, lemma in found.items() if lemma}


def _expression(terms: list[str], lemma_of: dict[str, str]) -> str:
    """An FTS5 expression: every term must match (its words as a phrase), in the text or, with lemmas, as lemmas."""
    parts = []
    for term in terms:
        prefix = term.endswith("*")
        words = term.rstrip("*")
        phrase = '"' + words.replace('"', '""') + '"' + ("*" if prefix else "")
        options = [f"text : {phrase}"]
        lemma = lemma_of.get(term)
        if lemma:
            options.append('lemmas : "' + lemma.replace('"', '""') + '"')
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _first_span(text: str, words: list[str]) -> tuple[int, int] | None:
    best = None
    for word in words:
        prefix = word.endswith("*")
        pattern = r"(?<!\w)" + re.escape(word.rstrip("*")) + (r"\w*" if prefix else r"(?!\w)")
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), found.end())
    return best


def _passes(row: dict[str, object], verified: tuple[str, ...] | None, suggested: tuple[str, ...], irrelevant: bool,
            where: SearchFilter) -> bool:
    checks = [(where.informants, row["informant"]), (where.roles, row["role"]), (where.methods, row["method"]),
              (where.sites, row["site"]), (where.rounds, row["round"])]
    if any(wanted and _text(value) not in wanted for wanted, value in checks):
        return False
    if where.codes and not set(where.codes) & {*(verified or ()), *suggested}:
        return False
    return {"all": True, "verified": verified is not None, "unverified": verified is None,
            "irrelevant": irrelevant}[where.state]


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN != NaN


def filter_values(project: Project) -> dict[str, list[str]]:
    """The values each search filter can take in this project (codes, informants, roles, methods)."""
    frame = excerpts_frame(project.store)
    values = {field: sorted({_text(v) for v in frame[field]} - {""})
              for field in ("informant", "role", "method", "round")}
    return {"code": list(project.codebook.ids), **values}
