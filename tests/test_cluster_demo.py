"""Clustering the demo corpus (corpora/gugus3): labels are content lemmas, the same seed gives the same clusters,
and `reduksi cluster` writes its files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cluster import run
from pipeline.config import REPO_ROOT, Config
from pipeline.ingest.batch import ingest, resolve_batch
from pipeline.language import backend_from_config
from pipeline.store import Store
from pipeline.store.excerpts import excerpts_frame
from tests.conftest import DEMO
from tests.test_cluster import check_labels


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    folder = tmp_path_factory.mktemp("cluster-demo") / "gugus3"
    with Store.init(folder) as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
    return folder


@pytest.fixture(scope="session")
def demo_inputs(demo_project: Path, config: Config) -> tuple[pd.DataFrame, list]:
    with Store.open(demo_project) as store:
        excerpts = excerpts_frame(store)
    backend = backend_from_config(config)
    return excerpts, list(backend.tokenize_many(excerpts["text"].tolist()))


def test_demo_labels_are_content_lemmas_and_seed_is_stable(demo_inputs, config: Config) -> None:
    excerpts, tokens = demo_inputs
    first = run(excerpts, tokens, None, config.cluster)
    second = run(excerpts, tokens, None, config.cluster)
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    pd.testing.assert_frame_equal(first.summary, second.summary)
    placed = first.summary[first.summary["cluster"] >= 0]
    assert config.cluster.k_min <= len(placed) <= config.cluster.k_max
    assert (placed["label_terms"].str.split(", ").str.len() >= 5).all()
    check_labels(first, tokens)
    # The corpus is a real test: its turns carry fillers and annotations the labels must not show.
    assert sum(t.is_nonlexical and not t.is_punct for toks in tokens for t in toks) >= 50


def test_cluster_command_writes_outputs(demo_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "cluster", str(demo_project), "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Clusters:" in result.stdout and "open coding" in result.stdout  # the project holds no codebook
    for name in ("clusters.csv", "cluster_summary.csv", "cluster_codes.csv", "code_splits.csv", "cluster_map.png",
                 "cluster_map.svg", "config.resolved.toml"):
        assert (out / name).stat().st_size > 0, name
    assignments = pd.read_csv(out / "clusters.csv")
    with Store.open(demo_project) as store:
        assert sorted(assignments["excerpt_id"]) == sorted(excerpts_frame(store)["excerpt_id"])
        command = store._db.execute("SELECT command, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(command) == ("cluster", "ok")


def test_cluster_command_errors_are_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "cluster", str(tmp_path / "nothing")],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    assert result.returncode == 1 and result.stderr.startswith("Error: [E300]") and "Traceback" not in result.stderr


def test_no_candidate_theme_is_made_of_greetings_or_thanks(demo_inputs, config: Config) -> None:
    """Issue #14: with the shipped model's suggestions, the demo's candidate new themes were the interviews'
    openings ("mangga, waalaikumsalam") and closings ("sami, hati-hati"). Small talk is now left out of clustering."""
    from pipeline.codebook import load_codebook
    from pipeline.suggest import run as suggest
    from pipeline.suggest import substance
    from pipeline.suggest.registry import configured_model

    excerpts, tokens = demo_inputs
    book = load_codebook(DEMO / "codebook.yaml")
    suggestions = suggest(excerpts, book, config.suggest, configured_model(config, book))  # the shipped model
    result = run(excerpts, tokens, suggestions, config.cluster)
    small_talk = substance.run(excerpts, suggestions, config.cluster.confident_probability).to_numpy()
    assert small_talk.sum() >= 20  # every interview opens and closes with some
    assignments = result.assignments
    assert (assignments.loc[small_talk, "status"] == "non-substantive").all()
    assert (assignments.loc[small_talk, "cluster"] == -1).all()
    themes = result.summary[result.summary["candidate_new_theme"]]
    by_rule = excerpts["text"].combine(excerpts["context"], substance.by_rule).to_numpy()
    for cluster in themes["cluster"]:
        members = (assignments["cluster"] == cluster).to_numpy()
        assert by_rule[members].mean() < 0.5, cluster
    greeting_words = {"mangga", "waalaikumsalam", "sami", "sama-sama", "kasih", "hati-hati", "punten"}
    assert not any(greeting_words & set(terms.split(", ")) for terms in themes["label_terms"])
    assert any("non-substantive" in note for note in result.notes)
