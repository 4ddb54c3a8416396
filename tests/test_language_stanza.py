"""The stanza backend through its real model-loading path, on toy models trained here from our own CoNLL-U.

No Indonesian stanza model can be downloaded on CI, so a session fixture trains a tiny tokenizer (with multi-word
tokens), MWT expander and lemmatizer from tests/data/language/toy-id.conllu (sentences written for reduksi) with
stanza's own training entry points, in a temporary folder laid out like a stanza download.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import BackendUnavailable
from pipeline.language import load_backend
from pipeline.language.stanza_backend import find_model_files, locate_model_dir

TOY = Path(__file__).parent / "data" / "language" / "toy-id.conllu"
HAVE_STANZA = importlib.util.find_spec("stanza") is not None and importlib.util.find_spec("torch") is not None
needs_stanza = pytest.mark.skipif(not HAVE_STANZA, reason="stanza/torch not installed: pip install 'reduksi[stanza]'")


def _run(*args: str, cwd: Path) -> None:
    # One thread: torch's thread pool on a shared 2-core machine is many times slower than a single thread here.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="session")
def toy_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("stanza_toy")
    root = work / "stanza_id"
    conllu = str(TOY)
    _run("stanza.utils.datasets.conllu_to_text", conllu, "toy.txt", cwd=work)
    _run("stanza.utils.datasets.prepare_tokenizer_data", "toy.txt", conllu, "-o", "./toy.toklabels",
         "-m", "./toy-mwt.json", cwd=work)
    _run("stanza.models.tokenizer", "--mode", "train", "--txt_file", "toy.txt", "--label_file", "toy.toklabels",
         "--mwt_json_file", "toy-mwt.json", "--dev_txt_file", "toy.txt", "--dev_label_file", "toy.toklabels",
         "--dev_conll_gold", conllu, "--lang", "id", "--shorthand", "id_toy",
         "--save_dir", str(root / "id" / "tokenize"), "--save_name", "toy.pt", "--steps", "200",
         "--eval_steps", "100", "--batch_size", "16", "--max_seqlen", "80", "--cpu", cwd=work)
    _run("stanza.models.mwt_expander", "--train_file", conllu, "--eval_file", conllu, "--output_file", "mwt.out",
         "--gold_file", conllu, "--lang", "id", "--shorthand", "id_toy", "--save_dir", str(root / "id" / "mwt"),
         "--save_name", "toy.pt", "--dict_only", "--cpu", cwd=work)
    _run("stanza.models.lemmatizer", "--train_file", conllu, "--eval_file", conllu, "--output_file", "lemma.out",
         "--shorthand", "id_toy", "--save_dir", str(root / "id" / "lemma"), "--save_name", "toy.pt",
         "--num_epoch", "2", "--hidden_dim", "32", "--emb_dim", "16", "--pos_dim", "16", "--cpu", cwd=work)
    return root


@pytest.fixture(scope="session")
def stanza_backend(toy_model_dir: Path):
    import torch

    torch.set_num_threads(1)
    return load_backend("stanza", model_dir=str(toy_model_dir))


@needs_stanza
def test_tokens_come_from_stanza_with_exact_offsets(stanza_backend) -> None:
    text = "Kami tidak pernah ikut pelatihan itu.  Bukunya tertinggal di meja."
    tokens = stanza_backend.tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.text for t in tokens][:3] == ["Kami", "tidak", "pernah"]
    assert stanza_backend.name == "stanza-id/1"
    assert set(stanza_backend.info["models"]) >= {"tokenize", "mwt", "lemma"}


@needs_stanza
def test_multi_word_tokens_become_clitics(stanza_backend) -> None:
    text = "Bukunya tertinggal di meja."
    token = stanza_backend.tokenize(text)[0]
    assert token.text == "Bukunya" and token.enclitics == ("nya",)
    assert [(w.start, w.end, w.text) for w in token.words()] == [(0, 4, "Buku"), (4, 7, "nya")]
    assert token.words()[1].lemma == "dia"


@needs_stanza
def test_lemmas_come_from_the_stanza_model(stanza_backend) -> None:
    tokens = {t.text: t for t in stanza_backend.tokenize("Siswa membaca buku cerita.")}
    assert tokens["membaca"].lemma == "baca"


@needs_stanza
def test_normalisation_and_stop_words_still_marked(stanza_backend) -> None:
    tokens = {t.text: t for t in stanza_backend.tokenize("Kami gak pernah ikut rapat.")}
    assert tokens["gak"].norm == "tidak" and not tokens["gak"].is_stop


@needs_stanza
def test_sentences_and_batches(stanza_backend) -> None:
    text = "Guru-guru ikut rapat setiap bulan. Siswa membaca buku cerita."
    spans = stanza_backend.sentences(text)
    assert len(spans) == 2 and text[spans[1][0]:spans[1][1]].startswith("Siswa")
    batched = list(stanza_backend.tokenize_many([text, "Kami pulang sore hari."]))
    assert [t.text for t in batched[0]] == [t.text for t in stanza_backend.tokenize(text)]


@needs_stanza
def test_stanza_is_built_without_network(monkeypatch: pytest.MonkeyPatch, toy_model_dir: Path) -> None:
    import stanza

    seen = {}
    original = stanza.Pipeline.__init__

    def spy(self, *args, **kwargs):
        seen.update(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(stanza.Pipeline, "__init__", spy)
    load_backend("stanza", model_dir=str(toy_model_dir))
    assert seen["download_method"] is None
    assert seen["tokenize_model_path"].endswith("toy.pt") and seen["lemma_model_path"].endswith("toy.pt")


def test_missing_model_dir_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        locate_model_dir("")
    assert "stanza.download" in str(caught.value)
    with pytest.raises(BackendUnavailable) as caught:
        locate_model_dir(str(tmp_path))
    assert "stanza_model_dir" in str(caught.value) and "stanza.download" in str(caught.value)


def test_model_folder_without_lemmatizer_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "id" / "tokenize").mkdir(parents=True)
    (tmp_path / "id" / "tokenize" / "x.pt").write_bytes(b"")
    with pytest.raises(BackendUnavailable, match="lemma"):
        find_model_files(tmp_path / "id")


def test_several_models_need_a_package(tmp_path: Path) -> None:
    for name in ("gsd.pt", "csui.pt"):
        (tmp_path / "id" / "tokenize").mkdir(parents=True, exist_ok=True)
        (tmp_path / "id" / "tokenize" / name).write_bytes(b"")
    (tmp_path / "id" / "lemma").mkdir()
    (tmp_path / "id" / "lemma" / "gsd.pt").write_bytes(b"")
    with pytest.raises(BackendUnavailable, match="stanza_package"):
        find_model_files(tmp_path / "id")
    assert find_model_files(tmp_path / "id", package="gsd")["tokenize"].name == "gsd.pt"
