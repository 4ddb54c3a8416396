"""Model files: skops with trusted types only, a model card, identical predictions after reload, codebook check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.codebook import parse_codebook
from pipeline.config import load_config
from pipeline.errors import ModelError
from pipeline.suggest import CodeSuggester, codebook_profiles, load_model, save_model
from pipeline.suggest.persist import CARD_FILE, MODEL_FILE, MODEL_FORMAT, model_card, next_version
from tests.suggest_fixtures import CODEBOOK_DATA, codebook, labelled_excerpts


class Sneaky:
    """Stands for any type a model file must not smuggle in."""


@pytest.fixture(scope="module")
def estimator() -> CodeSuggester:
    excerpts, labels = labelled_excerpts(n_per_informant=10, informants=4, seed=1)
    book = codebook()
    return CodeSuggester(codes=codebook_profiles(book), codebook_version=book.version, cv=3).fit(
        excerpts, labels, groups=excerpts["informant"])


def _card(estimator: CodeSuggester, version: str) -> dict:
    return model_card(estimator, version=version, training={"excerpts": 40}, metrics={"micro_f1": 1.0},
                      config={"top_k": 3})


def test_saved_and_reloaded_model_predicts_identically(estimator: CodeSuggester, tmp_path: Path) -> None:
    folder = save_model(estimator, tmp_path / "uji-1", _card(estimator, "uji-1"))
    model = load_model(folder, codebook())
    texts = labelled_excerpts(n_per_informant=5, informants=2, seed=7)[0]
    assert np.array_equal(model.estimator.predict_proba(texts), estimator.predict_proba(texts))
    assert model.estimator.suggest(texts) == estimator.suggest(texts)
    assert model.version == "uji-1"


def test_model_card_records_what_the_model_is(estimator: CodeSuggester, tmp_path: Path) -> None:
    folder = save_model(estimator, tmp_path / "uji-1", _card(estimator, "uji-1"))
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    assert card["codebook_version"] == codebook().version
    assert set(card["label_counts"]) == set(codebook().ids) and all(n > 0 for n in card["label_counts"].values())
    assert {"scikit-learn", "skops", "numpy", "python"} <= set(card["libraries"])
    assert card["params"]["C"] == estimator.C and card["metrics"] == {"micro_f1": 1.0}
    with pytest.raises(ModelError, match="already exists"):
        save_model(estimator, folder, card)  # a model folder is never overwritten


def test_untrusted_type_is_refused(estimator: CodeSuggester, tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.base import clone

    tampered = clone(estimator).fit(*labelled_excerpts(n_per_informant=10, informants=4, seed=1))
    tampered.extra_ = Sneaky()
    folder = tmp_path / "bad-1"
    folder.mkdir()
    sio.dump(tampered, folder / MODEL_FILE)
    (folder / CARD_FILE).write_text(json.dumps({"codebook_version": "", "format": MODEL_FORMAT}), encoding="utf-8")
    with pytest.raises(ModelError, match=r"not trusted: .*Sneaky") as caught:
        load_model(folder)
    assert caught.value.code == "E400" and MODEL_FILE in str(caught.value)


def test_model_for_another_codebook_is_refused(estimator: CodeSuggester, tmp_path: Path) -> None:
    folder = save_model(estimator, tmp_path / "uji-1", _card(estimator, "uji-1"))
    data = json.loads(json.dumps(CODEBOOK_DATA))
    data["themes"][0]["codes"][0]["definition"] += " Ditambah."
    other = parse_codebook(data)
    with pytest.raises(ModelError, match=f"trained for codebook {codebook().version}.*{other.version}"):
        load_model(folder, other)


def test_other_model_format_is_refused(estimator: CodeSuggester, tmp_path: Path) -> None:
    card = _card(estimator, "uji-1")
    card["format"] = MODEL_FORMAT + 1
    folder = save_model(estimator, tmp_path / "uji-1", card)
    with pytest.raises(ModelError, match="retrain"):
        load_model(folder)


def test_missing_folder_and_versions(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a model folder"):
        load_model(tmp_path / "nothing")
    assert next_version(tmp_path, "uji") == "uji-1"
    (tmp_path / "uji-1").mkdir()
    (tmp_path / "uji-7").mkdir()
    assert next_version(tmp_path, "uji") == "uji-8"
    with pytest.raises(ModelError, match="model name"):
        next_version(tmp_path, "Bad Name")


def test_a_model_ships_for_the_demo_codebook_and_for_no_other() -> None:
    from pipeline.codebook import empty_codebook, load_codebook
    from pipeline.suggest.registry import configured_model, shipped_model_for
    from tests.conftest import DEMO_CODEBOOK

    demo = load_codebook(DEMO_CODEBOOK)
    shipped = shipped_model_for(demo)
    assert shipped is not None, "a model trained on the demo gold must ship in models/"
    model = load_model(shipped, demo)
    template = load_codebook(Path(__file__).resolve().parents[1] / "configs" / "codebook.template.yaml")
    assert shipped_model_for(template) is None and configured_model(load_config(), template) is None
    assert configured_model(load_config(), empty_codebook()) is None
    assert model.card["training"]["excerpts"] > 0
    assert sum(p.stat().st_size for p in model.path.iterdir()) < 5_000_000  # small enough to ship


def test_new_version_never_reuses_the_name_of_the_shipped_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A project's `train --name gugus3` must not produce `gugus3-1` while the shipped `gugus3-1` is in use."""
    from pipeline.suggest.persist import next_version

    shipped, project_models = tmp_path / "models", tmp_path / "project" / "models"
    (shipped / "gugus3-1").mkdir(parents=True)
    project_models.mkdir(parents=True)
    assert next_version(project_models, "gugus3") == "gugus3-1"
    assert next_version(project_models, "gugus3", also_in=(shipped,)) == "gugus3-2"
    (project_models / "gugus3-4").mkdir()
    assert next_version(project_models, "gugus3", also_in=(shipped,)) == "gugus3-5"
    assert next_version(project_models, "lain", also_in=(shipped,)) == "lain-1"
