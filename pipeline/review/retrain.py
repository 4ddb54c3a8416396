"""Retraining with promotion only when better: compare the model in use and a newly trained one on the same
informant-grouped split, and promote the new one when it is not worse (or when forced).

Fair comparison: each model is a recipe (its estimator's parameters) plus the labels it learned from. A model records
the id of the last decision it learned from (its watermark), so on every fold each recipe is re-fit on *its own*
labels (`decisions.current_labels(until=watermark)`) restricted to the training informants, and both are scored on
the held-out informants' current verified labels. No model is scored on an informant it was fitted on. A model
without a watermark (e.g. named in `[suggest] model`, trained elsewhere) is re-fitted on the current labels: its
recipe is compared, not what it may have memorised. With no model in use the baseline is the codebook alone (cold
start). The model in use is the project's last promoted one, else `[suggest] model`. Events (trained / promoted /
kept) go to the append-only `model_events`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.errors import ModelError
from pipeline.store import Store, decisions
from pipeline.store.db import now

COLD_START = "codebook"


@dataclass(frozen=True)
class Comparison:
    old_version: str  # COLD_START when no model was in use
    new_version: str
    metric: str
    old: dict[str, Any]  # evaluation summaries on the same folds
    new: dict[str, Any]
    promoted: bool
    forced: bool
    n_folds: int
    n_excerpts: int

    @property
    def old_score(self) -> float:
        return float(self.old[self.metric])

    @property
    def new_score(self) -> float:
        return float(self.new[self.metric])


def record_event(store: Store, model: Any, event: str, *, watermark: int | None, compared_to: str | None = None,
                 metrics: dict[str, Any] | None = None, forced: bool = False) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO model_events (version, path, event, watermark, compared_to, metrics, forced,"
                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (model.version, str(Path(model.path).resolve()), event, watermark, compared_to,
                    json.dumps(metrics or {}, ensure_ascii=False), int(forced), now()))


def events(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute("SELECT * FROM model_events ORDER BY id").fetchall()
    return [{**dict(r), "metrics": json.loads(r["metrics"])} for r in rows]


def promoted_event(store: Store) -> dict[str, Any] | None:
    found = [e for e in events(store) if e["event"] == "promoted"]
    return found[-1] if found else None


def promoted_model(store: Store, codebook: Codebook) -> Any:
    """The project's model in use (the last promoted), or None; refuses a model of another codebook."""
    from pipeline.suggest import load_model

    event = promoted_event(store)
    return None if event is None else load_model(event["path"], codebook)


def in_use_model(store: Store, config: Config, codebook: Codebook) -> Any:
    """The project's promoted model, else the one named in `[suggest] model`, else None (codebook only)."""
    from pipeline.suggest import load_configured_model

    return promoted_model(store, codebook) or load_configured_model(config, codebook)


def watermark_of(store: Store, version: str) -> int | None:
    found = [e["watermark"] for e in events(store) if e["version"] == version and e["watermark"] is not None]
    return int(found[0]) if found else None


def promote_if_not_worse(store: Store, codebook: Codebook, config: Config, new_model: Any, *, force: bool = False,
                         watermark: int | None = None) -> Comparison:
    """Evaluate the model in use and `new_model` on the same grouped folds; promote `new_model` when its score is
    not worse (new >= old - promote_tolerance), or when `force`. `watermark`: the last decision id `new_model`
    learned from (default: the newest decision now, right after training)."""
    if watermark_of(store, new_model.version) is None:
        record_event(store, new_model, "trained",
                     watermark=decisions.watermark(store.db) if watermark is None else watermark)
    old = in_use_model(store, config, codebook)
    if old is not None and old.version == new_model.version:
        raise ModelError(f"model {new_model.version} is already the one in use")
    old_eval, new_eval, n_folds, n = compare(store, codebook, config, old, new_model)
    metric, tolerance = config.review.promote_metric, config.review.promote_tolerance
    better = new_eval[metric] >= old_eval[metric] - tolerance
    comparison = Comparison(old.version if old is not None else COLD_START, new_model.version, metric, old_eval,
                            new_eval, promoted=better or force, forced=force and not better, n_folds=n_folds,
                            n_excerpts=n)
    record_event(store, new_model, "promoted" if comparison.promoted else "kept",
                 watermark=watermark_of(store, new_model.version), compared_to=comparison.old_version,
                 metrics={"metric": metric, "old": old_eval, "new": new_eval, "folds": n_folds, "excerpts": n},
                 forced=comparison.forced)
    return comparison


def compare(store: Store, codebook: Codebook, config: Config, old: Any, new: Any
            ) -> tuple[dict[str, Any], dict[str, Any], int, int]:
    """(old summary, new summary, folds, excerpts): both scored on the same informant-grouped folds."""
    from pipeline.suggest.project import training_data

    data = training_data(store, codebook)
    n_groups = len(np.unique(data.groups))
    if n_groups < 2:
        raise ModelError("comparing models needs verified labels from at least two informants or sources",
                         file=store.folder, hint="review more excerpts, or promote with --force")
    folds = list(GroupKFold(n_splits=min(config.suggest.cv_folds, n_groups)).split(data.excerpts,
                                                                                  groups=data.groups))
    old_eval = _evaluate(store, codebook, config, data, folds, old)
    new_eval = _evaluate(store, codebook, config, data, folds, new)
    return old_eval, new_eval, len(folds), len(data.excerpts)


def _labels_matrix(store: Store, data: Any, codebook: Codebook, until: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(Y, known): the labels a model learned from, for the rows of `data` (known: the row was verified then)."""
    labels = decisions.current_labels(store.db, until=until)
    position = {code: j for j, code in enumerate(codebook.ids)}
    Y = np.zeros_like(data.Y)
    known = np.zeros(len(Y), dtype=bool)
    for i, excerpt_id in enumerate(data.excerpts["excerpt_id"]):
        if int(excerpt_id) in labels:
            known[i] = True
            for code in labels[int(excerpt_id)]:
                if code in position:
                    Y[i, position[code]] = 1
    return Y, known


def _evaluate(store: Store, codebook: Codebook, config: Config, data: Any, folds: list[Any], model: Any
              ) -> dict[str, Any]:
    from pipeline.suggest.evaluate import cap, score
    from pipeline.suggest.project import make_estimator

    recipe = make_estimator(codebook, config) if model is None else model.estimator
    until = 0 if model is None else watermark_of(store, model.version)
    Y_model, known = (data.Y, np.ones(len(data.Y), bool)) if until is None else _labels_matrix(store, data, codebook,
                                                                                              until)
    probabilities, predictions = np.zeros(data.Y.shape), np.zeros(data.Y.shape, dtype=np.int8)
    top_k, min_score = config.suggest.top_k, config.suggest.min_score
    for train, test in folds:
        fitted = _fit(recipe, data, train[known[train]], Y_model)
        test_frame = data.excerpts.iloc[test]
        if fitted is None:  # nothing learned yet: the codebook alone, fitted on the excerpts it scores
            fitted = clone(recipe).fit(test_frame, [()] * len(test))
        probabilities[test] = _in_order(fitted, fitted.predict_proba(test_frame), codebook)
        thresholds = _in_order(fitted, np.asarray(fitted.thresholds_)[None, :], codebook)[0]
        predictions[test] = cap(probabilities[test], np.maximum(thresholds, min_score), top_k)
    summary = score(data.Y, probabilities, predictions, codebook.ids, n_folds=len(folds)).summary()
    summary["labels"] = "current (no watermark)" if until is None else f"decisions up to {until}"
    return summary


def _fit(recipe: Any, data: Any, rows: np.ndarray, Y: np.ndarray) -> Any:
    if len(rows) == 0:
        return None
    return clone(recipe).fit(data.excerpts.iloc[rows], Y[rows], groups=data.groups[rows])


def _in_order(estimator: Any, matrix: np.ndarray, codebook: Codebook) -> np.ndarray:
    position = {str(c): j for j, c in enumerate(estimator.codes_)}
    return matrix[:, [position[c] for c in codebook.ids]]


def list_models(store: Store, models_dir: str | Path) -> list[dict[str, Any]]:
    """Every model folder with its card figures and what happened to it (trained / promoted / kept, in use)."""
    folder = Path(models_dir)
    history = events(store)
    in_use = promoted_event(store)
    known = {Path(e["path"]).resolve() for e in history}
    paths = sorted({p.parent.resolve() for p in folder.glob("*/model_card.json")} | known, key=_version_key)
    rows = []
    for path in paths:
        card_file = path / "model_card.json"
        card = json.loads(card_file.read_text(encoding="utf-8")) if card_file.exists() else {}
        mine = [e for e in history if Path(e["path"]).resolve() == path]
        last = next((e for e in reversed(mine) if e["event"] in ("promoted", "kept")), None)
        metrics = card.get("metrics", {})
        rows.append({"version": path.name, "in_use": in_use is not None and Path(in_use["path"]).resolve() == path,
                     "status": last["event"] if last else ("trained" if mine else "unreviewed"),
                     "excerpts": card.get("training", {}).get("excerpts"), "micro_f1": metrics.get("micro_f1"),
                     "macro_f1": metrics.get("macro_f1"), "codebook": card.get("codebook_version"),
                     "compared_to": last["compared_to"] if last else None,
                     "old_score": last["metrics"].get("old", {}).get(last["metrics"].get("metric")) if last else None,
                     "new_score": last["metrics"].get("new", {}).get(last["metrics"].get("metric")) if last else None,
                     "forced": bool(last["forced"]) if last else False, "exists": card_file.exists(),
                     "path": str(path)})
    return rows


def _version_key(path: Path) -> tuple[str, int]:
    name, _, number = path.name.rpartition("-")
    return (name, int(number)) if number.isdigit() else (path.name, 0)
