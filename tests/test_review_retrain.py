"""Retraining with promotion only when not worse, on the same informant-grouped folds; model events and listing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.app import train as retrain
from pipeline.app.project import Project
from pipeline.config import Config
from pipeline.errors import ModelError
from pipeline.store import Store
from pipeline.store.decisions import Decision, append, watermark
from pipeline.store.labels import record_gold
from pipeline.store.models import model_events
from pipeline.suggest import registry
from tests.conftest import DEMO
from tests.review_support import codebook, demo_project, demo_template  # noqa: F401


def _config(config: Config, **review: object) -> Config:
    suggest = dataclasses.replace(config.suggest, model="none", cv_folds=3)  # the codebook alone is the baseline
    return dataclasses.replace(config, suggest=suggest, review=dataclasses.replace(config.review, **review))


def test_promote_only_when_not_worse_or_forced(demo_project: Path, config: Config) -> None:
    book, models = codebook(), demo_project / "models"
    plain = _config(config)
    with Store.open(demo_project) as store:
        record_gold(store, DEMO / "gold.csv", codebook=book)
        gold_mark = watermark(store)
        first = retrain.train_project(Project(store, plain, book), "t", models, evaluate=False).model
        comparison = retrain.promote_if_not_worse(Project(store, plain, book), first)
        assert comparison.old_version == retrain.COLD_START and comparison.promoted and not comparison.forced
        assert comparison.new_score > comparison.old_score  # the trained model beats the codebook alone
        assert comparison.old["n_excerpts"] == comparison.new["n_excerpts"] == 431 and comparison.n_folds == 3
        assert registry.promoted_model(store, book).version == "t-1"
        assert registry.watermark_of(store, "t-1") == gold_mark

        first_excerpt = int(store._db.execute("SELECT MIN(id) FROM excerpts").fetchone()[0])
        with store.transaction() as db:
            append(db, [Decision(first_excerpt, "ani", "add", ("HAM-SDM",))], known_codes=book.ids)
        second = retrain.train_project(Project(store, plain, book), "t", models, evaluate=False).model
        strict = _config(config, promote_tolerance=-1000.0)  # "not worse" would need +1000 points: never
        kept = retrain.promote_if_not_worse(Project(store, strict, book), second)
        assert not kept.promoted and kept.old_version == "t-1"
        # each model is re-fit on the rows it learned from, carried in its folder: the old one without the new label
        assert kept.old["labels"] == kept.new["labels"] == "its 431 training rows"
        key = store._db.execute("SELECT key FROM excerpts WHERE id = ?", (first_excerpt,)).fetchone()[0]
        learned = {m.version: registry.training_rows(m).set_index("key").loc[key, "codes"] for m in (first, second)}
        assert "HAM-SDM" not in learned["t-1"].split(";") and "HAM-SDM" in learned["t-2"].split(";")
        assert registry.promoted_model(store, book).version == "t-1"
        forced = retrain.promote_if_not_worse(Project(store, strict, book), second, force=True)
        assert forced.promoted and forced.forced
        assert registry.promoted_model(store, book).version == "t-2"
        with pytest.raises(ModelError, match="already the one in use"):
            retrain.promote_if_not_worse(Project(store, plain, book), second)
        listed = {row.version: row for row in registry.list_models(store, models)}
        events = [(e.version, e.event) for e in model_events(store)]
    assert listed["t-1"].status == "promoted" and not listed["t-1"].in_use
    assert listed["t-2"].in_use and listed["t-2"].forced and listed["t-2"].compared_to == "t-1"
    assert events == [("t-1", "trained"), ("t-1", "promoted"), ("t-2", "trained"), ("t-2", "kept"),
                      ("t-2", "promoted")]
