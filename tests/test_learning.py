"""Learning never makes things worse: `train` adds the project's verified labels to what the model in use learned
from (carried in its folder as training rows), and promotion compares both models on the same held-out labels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from pipeline.app import train as retrain
from pipeline.app.project import Project, init_project
from pipeline.config import Config
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.store import Store
from pipeline.store.decisions import Decision, append
from pipeline.store.excerpts import excerpts_frame
from pipeline.suggest import registry
from pipeline.suggest.persist import data_hash
from tests.conftest import DEMO_CODEBOOK
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401

SHIPPED_ROWS = 431  # the demo gold the shipped model gugus3-3 was trained on
CHECKOUT_MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.fixture(autouse=True)
def checkout_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped models of this checkout (an editable install elsewhere may map `pipeline.models` to another)."""
    monkeypatch.setattr(registry, "shipped_models_folder", lambda: CHECKOUT_MODELS)


def _shipped_in_use(config: Config) -> Config:
    return dataclasses.replace(config, suggest=dataclasses.replace(config.suggest, model="", cv_folds=3))


def _verify(store: Store, labels: dict[int, tuple[str, ...]]) -> None:
    with store.transaction() as db:
        append(db, [Decision(e, "ani", "set", codes) for e, codes in labels.items()], known_codes=codebook().ids)


def test_the_shipped_model_carries_the_rows_it_learned_from() -> None:
    model = registry.load_model(registry.shipped_model_for(codebook()), codebook())
    rows = registry.training_rows(model)
    assert len(rows) == SHIPPED_ROWS == model.card["training"]["excerpts"]
    hashed = [(k, t, tuple(c for c in codes.split(";") if c)) for k, t, codes in
              zip(rows["key"], rows["text"], rows["codes"])]
    assert data_hash(hashed) == model.card["training"]["data_hash"]  # exactly what it was fitted on


def test_train_adds_new_verified_labels_to_the_shipped_models(mini_corpus: Path, tmp_path: Path,
                                                               config: Config) -> None:
    plain = _shipped_in_use(config)
    with init_project(tmp_path / "proj", DEMO_CODEBOOK) as store:
        ingest(store, resolve_batch([mini_corpus], plain)[0], plain)
        excerpts = excerpts_frame(store)
        ids = [int(e) for e in excerpts["excerpt_id"]]
        _verify(store, {e: (("KKG-MASALAH",) if i % 2 else ("KIN-PENILAIAN",)) for i, e in enumerate(ids)})
        project = Project(store, plain, codebook())
        assert registry.in_use_model(store, plain, codebook()).version == "gugus3-3"
        new = retrain.train_project(project, "proj", tmp_path / "models", evaluate=False).model
        training = new.card["training"]
        assert training["excerpts"] == SHIPPED_ROWS + len(ids)
        assert (training["carried_excerpts"], training["project_excerpts"]) == (SHIPPED_ROWS, len(ids))
        assert training["carried_from"] == "gugus3-3"
        rows = registry.training_rows(new)  # the union is kept with the new model
        assert len(rows) == SHIPPED_ROWS + len(ids) and set(excerpts["key"]) <= set(rows["key"])
        comparison = retrain.promote_if_not_worse(project, new)
    assert comparison.old_version == "gugus3-3" and comparison.n_excerpts == SHIPPED_ROWS + len(ids)
    assert comparison.old["labels"] == f"its {SHIPPED_ROWS} training rows"
    assert comparison.new["labels"] == f"its {SHIPPED_ROWS + len(ids)} training rows"
    assert comparison.promoted == (comparison.new_score > comparison.old_score)  # a tie keeps the incumbent


def test_the_projects_label_wins_for_the_same_excerpt(demo_project: Path, tmp_path: Path, config: Config) -> None:
    plain = _shipped_in_use(config)
    with Store.open(demo_project) as store:
        first = [int(e) for e in excerpts_frame(store)["excerpt_id"][:20]]
        _verify(store, {e: ("HAM-JADWAL",) for e in first})
        keys = set(excerpts_frame(store).set_index("excerpt_id").loc[first, "key"])
        new = retrain.train_project(Project(store, plain, codebook()), "g", tmp_path / "models", evaluate=False).model
    training = new.card["training"]
    assert training["excerpts"] == SHIPPED_ROWS  # the same excerpts: 20 relabelled, none added twice
    assert (training["project_excerpts"], training["carried_excerpts"]) == (20, SHIPPED_ROWS - 20)
    rows: pd.DataFrame = registry.training_rows(new)
    assert set(rows.loc[rows["key"].isin(keys), "codes"]) == {"HAM-JADWAL"}
    assert new.card["label_counts"]["HAM-JADWAL"] >= 20
