"""Active-learning curve: does the review queue teach the suggester faster than reviewing in random order?

Simulated review, the gold labels playing the reviewer: excerpts are reviewed in batches of `--batch` (10: the
terminal review re-ranks its queue every `[review] requeue_every` = 10 decisions), chosen by the review queue
(`pipeline.review.review_queue`, re-scored with the suggester retrained after every batch, the unreviewed excerpts
passed as `unlabelled` as `reduksi train` does) or at random; after 25, 50, 100 and 200 reviews the suggester trained
on the reviewed excerpts is scored (micro-F1 of the codes it would show: past threshold, top-k) on the excerpts not
reviewed yet. Batches are cut short at a checkpoint. Several seeds; mean and range are printed.

Corpora:
  demo   corpora/gugus3 (431 excerpts, 13 codes; 231 are left to score after 200 reviews).
  hoasa  ../shared/data/indonlu-hoasa (third-party, MIT): hotel reviews, 10 aspects read as codes (present when not
         `neut`); the pool is the train split (2,283), and the untouched test split (286) is scored too — "remaining"
         flatters the queue a little, since it removes the hardest excerpts from what is left to score.
Also reported: how many queue-ordered reviews reach the micro-F1 that random order reaches with its most reviews.

    python bench/active_learning.py [--corpus demo|hoasa|both] [--seeds 5] [--batch 10]
Ends with one JSON line.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.codebook import load_codebook  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.review import review_queue  # noqa: E402
from pipeline.suggest.estimator import CodeSuggester  # noqa: E402
from pipeline.suggest.evaluate import cap, score  # noqa: E402
from pipeline.suggest.features import Lemmatizer  # noqa: E402

HOASA = REPO.parent / "shared" / "data" / "indonlu-hoasa"
# Short Indonesian profiles of the HoASA aspects, written for this bench (the codebook of the proxy corpus).
HOASA_CODES = (
    ("ac", "AC pendingin ruangan kamar dingin panas gerah"),
    ("air_panas", "air panas hangat shower kamar mandi mandi dingin"),
    ("bau", "bau wangi harum apek pesing rokok"),
    ("general", "hotel secara umum bagus puas mengecewakan rekomendasi murah harga lokasi"),
    ("kebersihan", "bersih kotor debu kebersihan jorok noda"),
    ("linen", "handuk sprei selimut bantal kasur linen"),
    ("service", "pelayanan staf resepsionis ramah petugas layanan respon"),
    ("sunrise_meal", "sarapan makan pagi menu makanan"),
    ("tv", "tv televisi channel siaran remote"),
    ("wifi", "wifi internet sinyal koneksi jaringan"),
)


def demo_corpus() -> tuple[pd.DataFrame, np.ndarray, CodeSuggester, pd.DataFrame | None, np.ndarray | None]:
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.store import Store
    from pipeline.store.excerpts import excerpts_frame
    from pipeline.suggest.training import make_estimator

    config = load_config()
    codebook = load_codebook(REPO / "corpora" / "gugus3" / "codebook.yaml")
    corpus = REPO / "corpora" / "gugus3"
    with tempfile.TemporaryDirectory() as folder, Store.init(folder) as store:
        ingest(store, resolve_batch([corpus], config)[0], config)
        excerpts = excerpts_frame(store)
    gold = pd.read_csv(corpus / "gold.csv", keep_default_na=False)
    labels = dict(zip(gold["key"], gold["codes"]))
    Y = np.array([[code in labels[key].split(";") for code in codebook.ids] for key in excerpts["key"]], dtype=int)
    return excerpts, Y, make_estimator(codebook, config), None, None


def hoasa_corpus() -> tuple[pd.DataFrame, np.ndarray, CodeSuggester, pd.DataFrame | None, np.ndarray | None]:
    config = load_config()
    codes = [c for c, _ in HOASA_CODES]

    def read(name: str) -> tuple[pd.DataFrame, np.ndarray]:
        table = pd.read_csv(HOASA / name)
        frame = pd.DataFrame({"excerpt_id": np.arange(len(table)), "key": [f"{name[:2]}{i:05d}" for i in
                              range(len(table))], "text": table["review"].astype(str), "context": None})
        return frame, (table[codes] != "neut").to_numpy(dtype=int)

    pool, Y = read("train_preprocess.csv")
    test, Y_test = read("test_preprocess.csv")
    s = config.suggest
    estimator = CodeSuggester(codes=HOASA_CODES, codebook_version="hoasa-bench", backend=s.lemma_backend,
                              use_context=False, blend_k=s.blend_k, min_positive=s.min_positive, cv=s.cv_folds,
                              n_reasons=0)
    return pool, Y, estimator, test, Y_test


def with_lemmas(frame: pd.DataFrame, backend: str) -> pd.DataFrame:
    """Lemmatise once; the suggester reuses given `lemmas` / `context_lemmas` columns."""
    lemmatizer = Lemmatizer(backend)
    contexts = [lemmatizer.lemma_text(c) if isinstance(c, str) else "" for c in frame["context"]]
    return frame.assign(lemmas=[lemmatizer.lemma_text(t) for t in frame["text"]], context_lemmas=contexts)


def fit(recipe: CodeSuggester, frame: pd.DataFrame, Y: np.ndarray, rows: list[int], seed: int) -> CodeSuggester:
    from sklearn.base import clone

    model = clone(recipe).set_params(random_state=seed, n_reasons=0)
    if not rows:  # nothing reviewed yet: the codebook alone
        return model.fit(frame, [()] * len(frame))
    left = np.setdiff1d(np.arange(len(frame)), rows)  # the unreviewed excerpts, as `train` passes them
    return model.fit(frame.iloc[rows], Y[rows], unlabelled=frame.iloc[left])


def micro_f1(model: CodeSuggester, frame: pd.DataFrame, Y: np.ndarray, top_k: int, min_score: float) -> float:
    probability = model.predict_proba(frame)
    predicted = cap(probability, np.maximum(model.thresholds_, min_score), top_k)
    return score(Y, probability, predicted, [str(c) for c in model.codes_]).micro_f1


def next_batch(strategy: str, size: int, model: CodeSuggester, cold: np.ndarray, frame: pd.DataFrame, Y: np.ndarray,
               reviewed: list[int], rng: np.random.Generator, config) -> list[int]:  # type: ignore[no-untyped-def]
    left = np.setdiff1d(np.arange(len(frame)), reviewed)
    if strategy == "random":
        return [int(i) for i in rng.permutation(left)[:size]]
    codes = tuple(str(c) for c in model.codes_)
    trained = bool(np.any(model.weights_ > 0))
    scores = review_queue.Scores(frame["excerpt_id"].to_numpy()[left], codes, model.predict_proba(frame.iloc[left]),
                                 np.asarray(model.thresholds_), cold[left] if trained else None)
    counts = dict(zip(codes, Y[reviewed].sum(0).tolist())) if reviewed else {}
    order = review_queue.run(frame.iloc[left], scores, config.review, verified_counts=counts,
                             min_score=config.suggest.min_score)
    position = {int(e): i for i, e in enumerate(frame["excerpt_id"])}
    return [position[int(e)] for e in order["excerpt_id"][:size]]


def simulate(name: str, frame: pd.DataFrame, Y: np.ndarray, recipe: CodeSuggester, test: pd.DataFrame | None,
             Y_test: np.ndarray | None, checkpoints: list[int], seeds: int, batch: int
             ) -> dict[str, dict[int, list[float]]]:
    config = load_config()
    top_k, min_score = config.suggest.top_k, config.suggest.min_score
    cold = fit(recipe, frame, Y, [], 0).predict_proba(frame)
    results: dict[str, dict[int, list[float]]] = {}
    for strategy in ("queue", "random"):
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            reviewed: list[int] = []
            model = fit(recipe, frame, Y, reviewed, seed)
            while len(reviewed) < max(checkpoints):
                size = min(batch, min(c for c in checkpoints if c > len(reviewed)) - len(reviewed))
                reviewed += next_batch(strategy, size, model, cold, frame, Y, reviewed, rng, config)
                model = fit(recipe, frame, Y, reviewed, seed)
                n = len(reviewed)
                if strategy == "queue" or n in checkpoints:
                    left = np.setdiff1d(np.arange(len(frame)), reviewed)
                    results.setdefault(f"{strategy}/remaining", {}).setdefault(n, []).append(
                        micro_f1(model, frame.iloc[left], Y[left], top_k, min_score))
                    if test is not None and Y_test is not None:
                        results.setdefault(f"{strategy}/test", {}).setdefault(n, []).append(
                            micro_f1(model, test, Y_test, top_k, min_score))
            print(f"  {name}: {strategy} seed {seed} done", file=sys.stderr)
    return results


def report(name: str, results: dict[str, dict[int, list[float]]], checkpoints: list[int]) -> dict[str, object]:
    figures: dict[str, object] = {}
    for scope in ("remaining", "test"):
        queue, random = results.get(f"queue/{scope}"), results.get(f"random/{scope}")
        if not queue or not random:
            continue
        print(f"\n{name} — micro-F1 on the {'excerpts not yet reviewed' if scope == 'remaining' else 'test split'}"
              f" (mean [min, max] over {len(random[checkpoints[0]])} seeds)")
        print(f"{'reviewed':>9}  {'queue':>22}  {'random':>22}  {'queue - random':>15}")
        for n in checkpoints:
            q, r = np.array(queue[n]), np.array(random[n])
            print(f"{n:>9}  {q.mean():>8.1f} [{q.min():5.1f}, {q.max():5.1f}]  {r.mean():>8.1f} [{r.min():5.1f}, "
                  f"{r.max():5.1f}]  {q.mean() - r.mean():>+15.1f}")
            figures[f"{name}_{scope}_queue_{n}"] = round(float(q.mean()), 1)
            figures[f"{name}_{scope}_random_{n}"] = round(float(r.mean()), 1)
        target = float(np.mean(random[checkpoints[-1]]))
        reached = next((n for n in sorted(queue) if np.mean(queue[n]) >= target), None)
        print(f"queue reaches random's {checkpoints[-1]}-review micro-F1 ({target:.1f}) after "
              f"{reached if reached is not None else f'more than {max(queue)}'} reviews")
        figures[f"{name}_{scope}_queue_reviews_to_random_{checkpoints[-1]}"] = reached
        figures[f"{name}_{scope}_queue_never_below_random"] = bool(all(
            np.mean(queue[n]) >= np.mean(random[n]) for n in checkpoints))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("demo", "hoasa", "both"), default="both")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10, help="reviews between retrainings")
    args = parser.parse_args()
    config = load_config()
    figures: dict[str, object] = {}
    started = time.perf_counter()
    runs = {"demo": (demo_corpus, [25, 50, 100, 200]), "hoasa": (hoasa_corpus, [25, 50, 100, 200])}
    for name in (("demo", "hoasa") if args.corpus == "both" else (args.corpus,)):
        load, checkpoints = runs[name]
        if name == "hoasa" and not HOASA.exists():
            print(f"skipping hoasa: {HOASA} not found", file=sys.stderr)
            continue
        frame, Y, recipe, test, Y_test = load()
        frame = with_lemmas(frame, config.suggest.lemma_backend)
        test = with_lemmas(test, config.suggest.lemma_backend) if test is not None else None
        print(f"{name}: {len(frame)} excerpts in the pool, {Y.shape[1]} codes, {Y.sum()} gold labels, "
              f"batches of {args.batch}"
              + (f"; test split {len(test)}" if test is not None else ""))
        results = simulate(name, frame, Y, recipe, test, Y_test, checkpoints, args.seeds, args.batch)
        figures.update(report(name, results, checkpoints))
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
