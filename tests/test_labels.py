"""Verified labels from the decision log, gold recorded as decisions, suggestions stored and read back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.codebook import load_codebook
from pipeline.config import SuggestConfig
from pipeline.errors import ReduksiError
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.decisions import Decision, append
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import record_gold, verified_labels
from pipeline.store.runs import start_run
from pipeline.store.suggestions import load_suggestions, save_suggestions
from pipeline.suggest import run
from tests.conftest import DEMO_CODEBOOK


@pytest.fixture
def project(mini_corpus: Path, tmp_path: Path, config):  # type: ignore[no-untyped-def]
    store = Store.init(tmp_path / "p")
    ingest(store, resolve_batch([mini_corpus], config)[0], config)
    yield store
    store.close()


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    return load_codebook(DEMO_CODEBOOK)


def _gold(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "gold.csv"
    path.write_text("key,codes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_record_gold_sets_labels_once(project: Store, book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keys = excerpts_frame(project)["key"].tolist()
    gold = _gold(tmp_path, [f"{keys[0]},HAM-JADWAL;KP-LATAR", f"{keys[1]},"])
    assert record_gold(project, gold, codebook=book) == 2
    ids = dict(zip(excerpts_frame(project)["key"], excerpts_frame(project)["excerpt_id"]))
    assert verified_labels(project) == {ids[keys[0]]: {"HAM-JADWAL", "KP-LATAR"}, ids[keys[1]]: frozenset()}
    assert record_gold(project, gold, codebook=book) == 0  # nothing twice
    origins = {r[0] for r in project._db.execute("SELECT origin || '/' || action FROM decisions")}
    assert origins == {"gold/set"}


def test_record_gold_after_review_changes(project: Store, book, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame = excerpts_frame(project)
    first_key, first_id = frame["key"][0], int(frame["excerpt_id"][0])
    with project.transaction() as db:
        append(db, [Decision(first_id, "ani", "set", ("KP-MEDIA",))], known_codes=book.ids)
    assert record_gold(project, _gold(tmp_path, [f"{first_key},KP-KELAS"]), codebook=book) == 1
    assert verified_labels(project)[first_id] == {"KP-KELAS"}  # the latest decision wins


@pytest.mark.parametrize("row, message", [("W-ZZ:001,KP-KELAS", "unknown excerpt key 'W-ZZ:001'"),
                                          ("{key},KP-TIDAK-ADA", "unknown code 'KP-TIDAK-ADA'")])
def test_gold_errors_name_file_and_line(project: Store, book, tmp_path: Path, row: str,  # type: ignore[no-untyped-def]
                                        message: str) -> None:
    key = excerpts_frame(project)["key"][0]
    gold = _gold(tmp_path, [f"{key},KP-KELAS", row.format(key=key)])
    with pytest.raises(ReduksiError) as caught:  # ReviewError (key) or UnknownCode (code)
        record_gold(project, gold, codebook=book)
    assert message in str(caught.value) and "gold.csv" in str(caught.value) and "line 3" in str(caught.value)
    assert verified_labels(project) == {}  # nothing written


def test_suggestions_round_trip(project: Store, book) -> None:  # type: ignore[no-untyped-def]
    excerpts = excerpts_frame(project)
    suggestions = run(excerpts, book, SuggestConfig())
    assert len(suggestions) > 0
    run_id = start_run(project, "suggest")
    assert save_suggestions(project, run_id, suggestions, book.version) == len(suggestions)
    stored = load_suggestions(project)
    assert len(stored) == len(suggestions) and set(stored["run_id"]) == {run_id}
    merged = stored.merge(suggestions, on=["excerpt_id", "code"], suffixes=("", "_given"))
    assert (merged["reasons"] == merged["reasons_given"]).all()
    assert (merged["rank"] == merged["rank_given"]).all() and set(stored["codebook_version"]) == {book.version}
    later = start_run(project, "suggest")
    save_suggestions(project, later, suggestions.iloc[:1], book.version)
    latest = load_suggestions(project)
    first = int(suggestions["excerpt_id"].iloc[0])
    assert set(latest.loc[latest["excerpt_id"] == first, "run_id"]) == {later}
    assert len(load_suggestions(project, run_id)) == len(suggestions)
    assert isinstance(latest["reasons"].iloc[0], list) and isinstance(pd.DataFrame(latest), pd.DataFrame)
