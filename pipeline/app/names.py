"""Names in the project's text: detect them, give each a stable pseudonym, and build the one pseudonymiser that
every export, cluster label and reason passes through (`project_privacy`).

`nama_terdeteksi.csv` (the key: names with their pseudonyms) is written into the project folder, never into an
export folder, so what you share holds no name. `mark_name` logs "not a name" (or "a name after all").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.app.project import Project
from pipeline.errors import ExportError
from pipeline.export.privacy import Pseudonymiser
from pipeline.export.safety import safe_frame
from pipeline.privacy.name_list import is_listed_name
from pipeline.privacy.names import DetectedName, Lexicon, detect_names, seen_in_lower_case
from pipeline.store import names as name_store
from pipeline.store.memos import list_memos
from pipeline.store.sources import current_sources_frame, informants_frame

if TYPE_CHECKING:
    from pipeline.cluster import ClusterResult

NAMES_FILE = "nama_terdeteksi.csv"
COLUMNS = ["name", "kind", "pseudonym", "count", "sources", "rules", "status"]


@dataclass(frozen=True)
class ProjectPrivacy:
    """The pseudonymiser of a project's exports and the table of detected names behind it."""

    pseudonymiser: Pseudonymiser
    detected: pd.DataFrame  # COLUMNS


@cache
def ordinary_words() -> frozenset[str]:
    """Indonesian words that are not names on their own: roots, known word forms, informal forms, stop words."""
    from pipeline.language.resources import load_resources, spacy_table

    resources = load_resources()
    return frozenset(resources.roots | set(spacy_table("id_lemma_lookup")) | set(resources.lexicon)
                     | resources.stop_words)


def large_list_installed() -> bool:
    """With the `names` extra's 25,000-word list a name must be listed (or follow an honorific or a cue); without it,
    Faker's 870 names are too few, and a capitalised word the language layer does not know counts as a name too
    (fewer leaks, more false finds to mark in `reduksi names`)."""
    from pipeline.privacy.name_list import PACKAGE, name_lists

    return PACKAGE in name_lists()


def known_word(backend: str = "spacy") -> Callable[[str], bool]:
    """Whether the language layer reads a word as Indonesian: a stop word or filler, or an affixed, clitic or spoken
    form of a root (`Pokoknya` -> pokok, `Disaranin` -> saran, `Guru-guru` -> guru)."""
    from pipeline.suggest.features import Lemmatizer

    lemmatizer = Lemmatizer(backend)

    def known(word: str) -> bool:
        found = lemmatizer.words(word)
        return not found or any(lemma != surface for surface, lemma in found)

    return known


def project_texts(project: Project) -> dict[str, str]:
    """Source name -> text of every current source, and the memos (their names are exported too)."""
    sources = current_sources_frame(project.store)
    texts = dict(zip(sources["name"].astype(str), sources["text"].astype(str)))
    for number, memo in enumerate(list_memos(project.store), start=1):
        texts[f"memo {number}"] = f"{memo.title}\n{memo.text}"
    return texts


def informant_privacy(project: Project, real_names: bool = False) -> Pseudonymiser:
    informants = informants_frame(project.store)
    return Pseudonymiser.from_informants(zip(informants["id"], informants["real_name"]), enabled=not real_names)


def project_privacy(project: Project, real_names: bool = False) -> ProjectPrivacy:
    """Detect names in the project's text, keep their pseudonyms stable in the store, and return the pseudonymiser
    (informants as `[G01]`, other names as `[ORANG-n]`; disabled with `real_names`)."""
    base = informant_privacy(project, real_names)
    texts = project_texts(project)
    refused = name_store.not_names(project.store)
    lexicon = Lexicon(ordinary_words(), is_listed_name, seen_in_lower_case(texts.values()),
                      unlisted=not large_list_installed(), is_word=known_word(project.config.suggest.lemma_backend))
    found = detect_names(texts, lexicon, places=project.config.export.places,
                         skip=lambda name: name in refused or _informant_form(base, name))
    with project.store.transaction():
        assigned = name_store.assign_pseudonyms(project.store, [(d.name, d.kind) for d in found])
    forms = {**_short_forms(found, assigned), **assigned}
    detected = _table(found, assigned, refused, project)
    return ProjectPrivacy(base.with_found(forms), detected)


def _informant_form(base: Pseudonymiser, name: str) -> bool:
    """A name the manifest already covers: the informant's own name, or a part of it."""
    folded = name.casefold()
    return folded in base.names or folded in base.parts or all(w in base.parts for w in folded.split())


def _short_forms(found: list[DetectedName], assigned: dict[str, str]) -> dict[str, str]:
    """The first word of a longer person name, when it belongs to that name only ("Nayla" of "Nayla Putri")."""
    owners: dict[str, set[str]] = {}
    for detected in found:
        words = detected.name.split()
        if detected.kind == "person" and len(words) > 1 and len(words[0]) >= 3:
            owners.setdefault(words[0], set()).add(assigned[detected.name])
    return {word: next(iter(labels)) for word, labels in owners.items() if len(labels) == 1}


def _table(found: list[DetectedName], assigned: dict[str, str], refused: set[str], project: Project) -> pd.DataFrame:
    rows = [(d.name, d.kind, assigned[d.name], d.count, "; ".join(d.sources), ", ".join(d.rules), "name")
            for d in found]
    known = name_store.pseudonyms(project.store)
    rows += [(name, known.get(name, ("person", ""))[0], "", 0, "", "", "not_a_name") for name in sorted(refused)]
    return pd.DataFrame(rows, columns=COLUMNS)


def write_detected_names(project: Project, privacy: ProjectPrivacy) -> Path:
    """`nama_terdeteksi.csv` in the project folder: each name, its kind, pseudonym, count, sources and status."""
    path = project.store.folder / NAMES_FILE
    safe_frame(privacy.detected).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def mark_name(project: Project, name: str, reviewer: str, *, not_a_name: bool = True, note: str = "") -> None:
    """Log that a detection is not a name (it stays in the text from the next export on), or is one after all."""
    if not reviewer.strip():
        raise ExportError("a decision on a name needs a reviewer", key="--reviewer", hint="give -r NAME")
    if not name.strip():
        raise ExportError("no name given", key="NAME", hint=f"copy it from {NAMES_FILE}")
    with project.store.transaction():
        name_store.add_name_decision(project.store, name.strip(), "not_a_name" if not_a_name else "name",
                                     reviewer.strip(), note)


def private_clusters(result: "ClusterResult", privacy: Pseudonymiser) -> "ClusterResult":
    """Cluster outputs whose label terms and sub-code terms name no one (they are written, and drawn on the map)."""
    import dataclasses

    def clean(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: privacy.terms(v) if isinstance(v, str) else v)
        return frame

    return dataclasses.replace(result, summary=clean(result.summary), code_splits=clean(result.code_splits))


def names_report(project: Project, *, not_a_name: tuple[str, ...] = (), is_name: tuple[str, ...] = (),
                 reviewer: str = "", note: str = "") -> tuple[pd.DataFrame, Path]:
    """Log the given decisions, detect again, and write `nama_terdeteksi.csv`; returns (table, its path).
    A name marked that was never detected is still logged (it may appear in a later batch)."""
    for name in not_a_name:
        mark_name(project, name, reviewer, not_a_name=True, note=note)
    for name in is_name:
        mark_name(project, name, reviewer, not_a_name=False, note=note)
    privacy = project_privacy(project)
    return privacy.detected, write_detected_names(project, privacy)
