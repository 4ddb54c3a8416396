"""The spoken-Indonesian test set (sentences written for reduksi): normal forms, lemmas, negations."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.language import load_backend
from pipeline.language.evaluation import read_spoken_set, score_spoken

SPOKEN = Path(__file__).parent / "data" / "language" / "spoken.tsv"


@pytest.fixture(scope="module")
def score():
    return score_spoken(load_backend("spacy"), read_spoken_set(SPOKEN))


def test_the_set_is_large_enough(score) -> None:
    assert score.sentences >= 150 and score.informal >= 250


def test_informal_forms_are_normalised(score) -> None:
    assert score.normalisation_accuracy >= 95.0, score.errors


def test_lemmas_of_annotated_words(score) -> None:
    assert score.lemma_accuracy >= 95.0, score.errors


def test_negations_are_never_dropped_as_stop_words(score) -> None:
    assert score.negations >= 50
    assert score.negations_kept == score.negations


def test_malformed_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("Saya gak tau.\tgak\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        read_spoken_set(path)
