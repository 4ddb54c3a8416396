"""Configuration is validated at load: errors name the file, the dotted key and the expected type."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, config_to_toml, default_config_file, load_config
from pipeline.errors import ConfigError


def test_default_file_matches_dataclass_defaults() -> None:
    loaded = load_config(default_config_file())
    assert {k: v for k, v in vars(loaded).items() if k not in ("root", "source")} == \
        {k: v for k, v in vars(Config()).items() if k not in ("root", "source")}


def _write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "configs"
    folder.mkdir()
    path = folder / "reduksi.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, key, words", [
    ("[excerpts]\nmax_word = 100\n", "excerpts.max_word", "unknown key"),
    ("[excerpts]\nmax_words = 'banyak'\n", "excerpts.max_words", "expected int"),
    ("[ingest]\ninterviewer_labels = 'P'\n", "ingest.interviewer_labels", "expected a list of str"),
    ("[ingest]\ninterviewer_labels = ['P', 3]\n", "ingest.interviewer_labels[1]", "expected str"),
    ("[tokenizer]\nbackend = 'spacy'\n", "tokenizer", "unknown key"),
    ("excerpts = 3\n", "excerpts", "expected a table"),
])
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(path) in str(raised.value) and f"'{key}'" in str(raised.value) and words in str(raised.value)


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(_write(tmp_path, "[excerpts\n"))


def test_partial_file_keeps_defaults_and_resolves_paths(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "[excerpts]\nmax_words = 80\n"))
    assert config.excerpts.max_words == 80 and config.ingest == Config().ingest
    assert config.path("codebook.yaml") == tmp_path / "configs" / "codebook.yaml"  # beside the file


def test_resolved_config_round_trips(tmp_path: Path) -> None:
    config = load_config()
    path = _write(tmp_path, config_to_toml(config))
    assert load_config(path).excerpts == config.excerpts and load_config(path).suggest == config.suggest
