"""Bench: the code suggester's quality and speed, each beside a plain TF-IDF + LinearSVC baseline run here too.

(a) IndoNLU HoASA (../shared/data/indonlu-hoasa) as a multi-label proxy: an aspect is present when its label is not
    `neut`. Train on train, score on test; no tuning on test. The "codebook" is just the aspect names.
(b) The demo corpus (corpora/gugus3 + gold.csv), leave one informant out: every informant's interview is scored by a
    model that never saw that informant (documents and observations have no informant: each is its own group).
    Also the cold start (codebook only, no labels) over the whole corpus.
(d) Held-out informants with few reviewed interviews (what a new project sees): train on 3 informants' interviews,
    suggest for the other informants' interviews (3 draws); and train on the first-wave interviews (plus documents
    and observations) of 5 informants, suggest for the second-wave interviews of the other 4. Coverage (share of
    excerpts with a suggestion; also of the excerpts that have a gold code), micro-F1, and "just under": excerpts
    with no suggestion whose most probable code is a gold code.
(c) Training time and prediction throughput at 1k, 10k and 50k excerpts (HoASA reviews joined in random pairs,
    labels united, so texts stay distinct as the size grows).

Usage: python bench/suggest.py [--sizes 1000,10000,50000]. Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.codebook import load_codebook  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.suggest import CodeSuggester  # noqa: E402
from pipeline.suggest.evaluate import cap, cross_validate, format_report, score  # noqa: E402
from pipeline.suggest.stage import cold_start  # noqa: E402

HOASA = REPO.parent / "shared" / "data" / "indonlu-hoasa"
DEMO = REPO / "corpora" / "gugus3"


class Baseline:
    """The reference: TF-IDF word 1-2-grams + char_wb 2-5-grams, one-vs-rest LinearSVC, margin > 0."""

    def fit(self, texts: list[str], Y: np.ndarray) -> "Baseline":
        self.word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        X = sp.hstack([self.word.fit_transform(texts), self.char.fit_transform(texts)]).tocsr()
        self.model = OneVsRestClassifier(LinearSVC()).fit(X, Y)
        return self

    def predict(self, texts: list[str]) -> np.ndarray:
        X = sp.hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()
        return self.model.predict(X)


def shown(model: CodeSuggester, probabilities: np.ndarray, min_score: float, top_k: int | None) -> np.ndarray:
    """0/1: what the stage shows (per-code cuts and min_score, the cut for the best code when none passes, top_k).
    Written so that this script also runs against versions without the best-code cut (before/after figures)."""
    thresholds = np.maximum(model.thresholds_, min_score)
    top_cut = float(getattr(model, "top_threshold_", 2.0))
    if top_cut > 1:
        return cap(probabilities, thresholds, top_k)
    return cap(probabilities, thresholds, top_k, max(top_cut, min_score))


def load_hoasa(name: str) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    frame = pd.read_csv(HOASA / f"{name}_preprocess.csv")
    aspects = [c for c in frame.columns if c != "review"]
    return frame.rename(columns={"review": "text"}), (frame[aspects] != "neut").to_numpy().astype(np.int8), aspects


def hoasa_codes(aspects: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((a, a.replace("_", " ")) for a in aspects)


def bench_hoasa() -> dict[str, float]:
    train, Y_train, aspects = load_hoasa("train")
    test, Y_test, _ = load_hoasa("test")
    started = time.perf_counter()
    model = CodeSuggester(codes=hoasa_codes(aspects)).fit(train, Y_train)
    fit_s = time.perf_counter() - started
    probabilities = model.predict_proba(test)
    ours = score(Y_test, probabilities, shown(model, probabilities, 0.0, None), aspects)
    started = time.perf_counter()
    baseline_model = Baseline().fit(train["text"].tolist(), Y_train)
    base_fit_s = time.perf_counter() - started
    predicted = baseline_model.predict(test["text"].tolist())
    base = score(Y_test, predicted.astype(float), predicted, aspects)
    print(f"\n(a) HoASA test ({len(test)} reviews, {len(aspects)} aspects; trained on {len(train)})")
    print(f"{'':34}{'micro-F1':>9}{'macro-F1':>9}{'ECE':>8}{'Brier':>8}{'fit s':>7}")
    print(f"{'suggester (calibrated, tuned)':34}{ours.micro_f1:>9.1f}{ours.macro_f1:>9.1f}{ours.ece:>8.4f}"
          f"{ours.brier:>8.4f}{fit_s:>7.1f}")
    print(f"{'baseline TF-IDF + LinearSVC':34}{base.micro_f1:>9.1f}{base.macro_f1:>9.1f}{'-':>8}{'-':>8}"
          f"{base_fit_s:>7.1f}")
    print("per aspect F1 (suggester / baseline): " + ", ".join(
        f"{a} {o:.1f}/{b:.1f}" for a, o, b in zip(aspects, ours.per_code["f1"], base.per_code["f1"])))
    return {"hoasa_micro_f1": round(ours.micro_f1, 1), "hoasa_macro_f1": round(ours.macro_f1, 1),
            "hoasa_ece": round(ours.ece, 4), "hoasa_brier": round(ours.brier, 4),
            "baseline_hoasa_micro_f1": round(base.micro_f1, 1), "baseline_hoasa_macro_f1": round(base.macro_f1, 1)}


def demo_training_data(folder: Path):  # type: ignore[no-untyped-def]
    """Ingest the demo corpus into a scratch project and record its gold as verified labels."""
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.store import Store
    from pipeline.store.decisions import current_labels
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.store.labels import record_gold
    from pipeline.suggest.training import training_data

    config = load_config()
    codebook = load_codebook(REPO / "corpora" / "gugus3" / "codebook.yaml")
    with Store.init(folder / "demo") as store:
        ingest(store, resolve_batch([DEMO], config)[0], config)
        record_gold(store, DEMO / "gold.csv", codebook=codebook)
        every = excerpts_frame(store)
        return config, codebook, training_data(every, current_labels(store), codebook), every


def bench_demo() -> dict[str, float]:
    from pipeline.suggest.training import make_estimator

    with tempfile.TemporaryDirectory() as scratch:
        config, codebook, data, excerpts = demo_training_data(Path(scratch))
    s = config.suggest
    ours = cross_validate(make_estimator(codebook, config), data.excerpts, data.Y, data.groups, n_splits=None,
                          top_k=s.top_k, min_score=s.min_score)
    cold = cold_start(excerpts, codebook, s)
    probabilities = cold.predict_proba(data.excerpts)
    cold_eval = score(data.Y, probabilities, cap(probabilities, np.maximum(cold.thresholds_, s.min_score), s.top_k),
                      codebook.ids)
    base_pred = np.zeros_like(data.Y)
    for group in np.unique(data.groups):
        test = data.groups == group
        train_texts = data.excerpts.loc[~test, "text"].tolist()
        base_pred[test] = Baseline().fit(train_texts, data.Y[~test]).predict(data.excerpts.loc[test, "text"].tolist())
    base = score(data.Y, base_pred.astype(float), base_pred, codebook.ids)
    n_informants = data.excerpts["informant"].nunique()
    print(f"\n(b) Demo corpus, leave one informant out ({len(data.excerpts)} excerpts, {ours.n_folds} folds: "
          f"{n_informants} informants + {ours.n_folds - n_informants} documents/observations)")
    print(format_report(ours))
    print(f"{'':34}{'micro-F1':>9}{'macro-F1':>9}{'ECE':>8}{'coverage':>10}")
    for name, e in (("suggester (LOIO)", ours), ("cold start: codebook only", cold_eval),
                    ("baseline TF-IDF + LinearSVC", base)):
        ece = f"{e.ece:.4f}" if e is not base else "-"
        print(f"{name:34}{e.micro_f1:>9.1f}{e.macro_f1:>9.1f}{ece:>8}{e.coverage:>9.1f}%")
    figures = {"demo_loio_micro_f1": round(ours.micro_f1, 1), "demo_loio_macro_f1": round(ours.macro_f1, 1),
               "demo_loio_ece": round(ours.ece, 4), "demo_cold_start_micro_f1": round(cold_eval.micro_f1, 1),
               "baseline_demo_loio_micro_f1": round(base.micro_f1, 1)}
    figures.update({f"demo_f1_{code}": round(f1, 1) for code, f1 in zip(ours.per_code["code"], ours.per_code["f1"])})
    return figures


def held_out(data, config, codebook, train: np.ndarray, test: np.ndarray) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Fit on the `train` rows, score the `test` rows as the stage would show them (thresholds, min_score, top_k)."""
    from pipeline.suggest.training import make_estimator

    s = config.suggest
    model = make_estimator(codebook, config).fit(data.excerpts[train], data.Y[train], groups=data.groups[train])
    probabilities = model.predict_proba(data.excerpts[test])
    predicted = shown(model, probabilities, s.min_score, s.top_k)
    Y = data.Y[test]
    result = score(Y, probabilities, predicted, codebook.ids)
    coded, empty = Y.any(1), ~predicted.any(1)
    best = probabilities.argmax(1)
    return {"coverage": result.coverage, "coded_coverage": 100.0 * float((~empty)[coded].mean()),
            "micro_f1": result.micro_f1, "ece": result.ece,
            "just_under": int((empty & (Y[np.arange(len(Y)), best] > 0)).sum()), "n": int(test.sum())}


def bench_held_out(draws: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        config, codebook, data, _ = demo_training_data(Path(scratch))
    informant = data.excerpts["informant"].fillna("").to_numpy()
    wave2 = data.excerpts["source"].astype(str).str.startswith("W2-").to_numpy()
    people = sorted(set(informant) - {""})
    rng = np.random.default_rng(0)
    runs: dict[str, list[dict[str, float]]] = {"few_informants": [], "new_wave": []}
    for _ in range(draws):
        chosen = np.isin(informant, rng.choice(people, 3, replace=False))
        runs["few_informants"].append(held_out(data, config, codebook, chosen, (informant != "") & ~chosen))
    first = np.isin(informant, people[:5])
    runs["new_wave"].append(held_out(data, config, codebook, (first & ~wave2) | (informant == ""),
                                     wave2 & (informant != "") & ~first))
    print("\n(d) Held-out informants, few reviewed interviews (mean over draws)")
    print(f"{'':40}{'coverage':>9}{'of coded':>9}{'micro-F1':>9}{'ECE':>8}{'just under':>11}")
    figures: dict[str, float] = {}
    for name, results in runs.items():
        mean = {k: float(np.mean([r[k] for r in results])) for k in results[0]}
        label = {"few_informants": "3 informants -> the other 6", "new_wave": "wave 1 of 5 -> wave 2 of the other 4"}
        print(f"{label[name]:40}{mean['coverage']:>8.1f}%{mean['coded_coverage']:>8.1f}%{mean['micro_f1']:>9.1f}"
              f"{mean['ece']:>8.4f}{mean['just_under']:>11.1f}")
        figures.update({f"{name}_coverage": round(mean["coverage"], 1),
                        f"{name}_coded_coverage": round(mean["coded_coverage"], 1),
                        f"{name}_micro_f1": round(mean["micro_f1"], 1), f"{name}_just_under": mean["just_under"]})
    return figures


def synthetic(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """n distinct excerpts: random pairs of HoASA reviews (all splits), labels united."""
    frames = [load_hoasa(name) for name in ("train", "valid", "test")]
    texts = np.concatenate([f[0]["text"].to_numpy() for f in frames])
    Y = np.vstack([f[1] for f in frames])
    rng = np.random.default_rng(seed)
    first, second = rng.integers(0, len(texts), n), rng.integers(0, len(texts), n)
    joined = pd.DataFrame({"text": [f"{a} . {b}" for a, b in zip(texts[first], texts[second])]})
    return joined, (Y[first] | Y[second]).astype(np.int8), frames[0][2]


def bench_speed(sizes: list[int]) -> dict[str, float]:
    print("\n(c) Speed (HoASA reviews joined in pairs; prediction on 2,000 unseen excerpts; one process)")
    print(f"{'excerpts':>9}{'fit s':>8}{'proba/s':>10}{'suggest/s':>11}{'baseline fit s':>16}{'baseline pred/s':>17}")
    figures: dict[str, float] = {}
    unseen, _, _ = synthetic(2000, seed=99)
    for n in sizes:
        X, Y, aspects = synthetic(n, seed=n)
        started = time.perf_counter()
        model = CodeSuggester(codes=hoasa_codes(aspects)).fit(X, Y)
        fit_s = time.perf_counter() - started
        started = time.perf_counter()
        model.predict_proba(unseen)
        proba_rate = len(unseen) / (time.perf_counter() - started)
        started = time.perf_counter()
        model.suggest(unseen)  # ranked codes with origins and reasons: what the stage returns
        suggest_rate = len(unseen) / (time.perf_counter() - started)
        started = time.perf_counter()
        baseline = Baseline().fit(X["text"].tolist(), Y)
        base_fit_s = time.perf_counter() - started
        started = time.perf_counter()
        baseline.predict(unseen["text"].tolist())
        base_rate = len(unseen) / (time.perf_counter() - started)
        print(f"{n:>9}{fit_s:>8.1f}{proba_rate:>10.0f}{suggest_rate:>11.0f}{base_fit_s:>16.1f}{base_rate:>17.0f}")
        label = f"{n // 1000}k"
        figures.update({f"train_s_{label}": round(fit_s, 1), f"excerpts_per_s_{label}": round(suggest_rate),
                        f"proba_per_s_{label}": round(proba_rate), f"baseline_train_s_{label}": round(base_fit_s, 1),
                        f"baseline_per_s_{label}": round(base_rate)})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated training sizes for (c)")
    parser.add_argument("--only", choices=["hoasa", "demo", "held-out", "speed"], help="run one part only")
    args = parser.parse_args()
    parts = {"hoasa": bench_hoasa, "demo": bench_demo, "held-out": bench_held_out,
             "speed": lambda: bench_speed([int(s) for s in args.sizes.split(",") if s])}
    figures: dict[str, float] = {}
    for name, part in parts.items():
        if args.only in (None, name):
            figures.update(part())
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
