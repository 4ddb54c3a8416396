"""Train, evaluate and promote the code suggester on a project's verified labels.

Promotion only when better (a tie keeps the incumbent): the model in use and a newly trained one are compared on
the same informant-grouped folds. Each model is a recipe (its estimator's parameters) plus the labels it learned
from: a model records the id of the last decision it learned from (its watermark), so on every fold each recipe is
re-fit on *its own* labels (the log replayed up to its watermark) restricted to the training informants, and both
are scored on the held-out informants' current verified labels. No model is scored on an informant it was fitted
on. A model without a watermark (e.g. named in `[suggest] model`, trained elsewhere) is re-fitted on the current
labels: its recipe is compared, not what it may have memorised. With no model in use the baseline is the codebook
alone (cold start).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.app.project import Project
from pipeline.errors import ModelError
from pipeline.store import decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.suggest import registry
from pipeline.suggest.evaluate import Evaluation, cap, cross_validate, score
from pipeline.suggest.persist import SuggestModel, data_hash, model_card
from pipeline.suggest.training import (
    TrainingData,
    label_matrix,
    make_estimator,
    rows_of,
    training_data,
    with_carried,
)

COLD_START = "codebook"


@dataclass(frozen=True)
class TrainResult:
    model: SuggestModel
    evaluation: Evaluation | None
    seconds: float


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


def project_training_data(project: Project, *carrying: SuggestModel | None) -> TrainingData:
    """The project's verified labels, plus the rows the `carrying` models learned from (see `with_carried`; the
    project's label wins, then the earlier model's)."""
    data = training_data(excerpts_frame(project.store), decisions.current_labels(project.store), project.codebook)
    for model in carrying:
        data = with_carried(data, registry.training_rows(model), project.codebook)
    return data


def train_project(project: Project, name: str, models_dir: str | Path, evaluate: bool = True) -> TrainResult:
    """Fit on the labels the model in use learned from plus the project's verified labels (the project's label wins
    for the same excerpt), evaluate by grouped CV (for the card), save `models_dir/NAME-N/` with those rows."""
    config, codebook = project.config, project.codebook
    if not decisions.current_labels(project.store):
        raise ModelError("no verified labels to train on", file=project.folder,
                         hint="review some suggestions, or record gold labels with `reduksi train --gold FILE`")
    incumbent = registry.in_use_model(project.store, config, codebook)
    data = project_training_data(project, incumbent)
    configured = (config.path(config.suggest.model).parent,) if config.suggest.model else ()
    version = registry.next_version(models_dir, name, also_in=(*configured, registry.shipped_models_folder()))
    estimator = make_estimator(codebook, config)
    evaluation = None
    if evaluate and len(np.unique(data.groups)) >= 2:
        evaluation = cross_validate(estimator, data.excerpts, data.Y, data.groups, n_splits=config.suggest.cv_folds,
                                    top_k=config.suggest.top_k, min_score=config.suggest.min_score)
    started = time.perf_counter()
    estimator.fit(data.excerpts, data.Y, groups=data.groups, unlabelled=data.unlabelled)
    seconds = time.perf_counter() - started
    rows = rows_of(data)
    carried = int((data.excerpts["excerpt_id"].astype(int) < 0).sum())
    training = {"excerpts": len(data.excerpts), "groups": int(len(np.unique(data.groups))),
                "data_hash": data_hash([(k, t, tuple(c for c in codes.split(";") if c))
                                        for k, t, codes in zip(rows["key"], rows["text"], rows["codes"])]),
                "unlabelled_excerpts": len(data.unlabelled), "project": project.folder.name,
                "project_excerpts": len(data.excerpts) - carried, "carried_excerpts": carried,
                "carried_from": incumbent.version if carried and incumbent is not None else None,
                "fit_seconds": round(seconds, 2)}
    metrics = {"cross_validation": "grouped by informant", **evaluation.summary()} if evaluation else {}
    card = model_card(estimator, version=version, training=training, metrics=metrics,
                      config=dataclasses.asdict(config.suggest))
    folder = registry.save_model_with_rows(estimator, Path(models_dir) / version, card, rows)
    return TrainResult(SuggestModel(version=version, path=folder, estimator=estimator, card=card), evaluation, seconds)


def evaluate_project(project: Project, folds: int | None) -> Evaluation:
    """Grouped cross-validation on the verified labels (`folds` None: leave one informant out)."""
    data = project_training_data(project)
    if len(np.unique(data.groups)) < 2:
        raise ModelError("evaluation needs verified labels from at least two informants or sources",
                         file=project.folder)
    s = project.config.suggest
    return cross_validate(make_estimator(project.codebook, project.config), data.excerpts, data.Y, data.groups,
                          n_splits=folds, top_k=s.top_k, min_score=s.min_score)


def promote_version(project: Project, models_dir: str | Path, version: str, *, force: bool = False) -> Comparison:
    """Compare a saved model version with the one in use; promote it when it scores better (or when forced)."""
    return promote_if_not_worse(project, registry.load_model(Path(models_dir) / version, project.codebook),
                                force=force)


def promote_if_not_worse(project: Project, new_model: SuggestModel, *, force: bool = False,
                         watermark: int | None = None) -> Comparison:
    """Evaluate the model in use and `new_model` on the same grouped folds; promote `new_model` when its score is
    better (new > old - promote_tolerance; with the default tolerance 0 a tie keeps the model in use, so a model
    trained on a few labels never replaces one that scores the same), or when `force`. `watermark`: the last
    decision id `new_model` learned from (default: the newest decision now, right after training)."""
    store, config = project.store, project.config
    if registry.watermark_of(store, new_model.version) is None:
        registry.record_event(store, new_model, "trained",
                              watermark=decisions.watermark(store) if watermark is None else watermark)
    old = registry.in_use_model(store, config, project.codebook)
    if old is not None and old.version == new_model.version:
        raise ModelError(f"model {new_model.version} is already the one in use")
    old_eval, new_eval, n_folds, n = compare(project, old, new_model)
    metric, tolerance = config.review.promote_metric, config.review.promote_tolerance
    better = new_eval[metric] > old_eval[metric] - tolerance
    comparison = Comparison(old.version if old is not None else COLD_START, new_model.version, metric, old_eval,
                            new_eval, promoted=better or force, forced=force and not better, n_folds=n_folds,
                            n_excerpts=n)
    registry.record_event(store, new_model, "promoted" if comparison.promoted else "kept",
                          watermark=registry.watermark_of(store, new_model.version),
                          compared_to=comparison.old_version,
                          metrics={"metric": metric, "old": old_eval, "new": new_eval, "folds": n_folds,
                                   "excerpts": n}, forced=comparison.forced)
    return comparison


def compare(project: Project, old: SuggestModel | None, new: SuggestModel
            ) -> tuple[dict[str, Any], dict[str, Any], int, int]:
    """(old summary, new summary, folds, excerpts): both scored on the same informant-grouped folds."""
    from sklearn.model_selection import GroupKFold

    data = project_training_data(project, new, old)  # the same held-out labels for both
    n_groups = len(np.unique(data.groups))
    if n_groups < 2:
        raise ModelError("comparing models needs verified labels from at least two informants or sources",
                         file=project.folder, hint="review more excerpts, or promote with --force")
    splitter = GroupKFold(n_splits=min(project.config.suggest.cv_folds, n_groups))
    folds = list(splitter.split(data.excerpts, groups=data.groups))
    return (_evaluate(project, data, folds, old), _evaluate(project, data, folds, new), len(folds),
            len(data.excerpts))


def _labels_at(project: Project, data: TrainingData, until: int) -> tuple[np.ndarray, np.ndarray]:
    """(Y, known): the labels a model learned from (the log up to `until`), for the rows of `data`; codes outside
    the codebook are left out."""
    labels = decisions.current_labels(project.store, until=until)
    known = data.excerpts["excerpt_id"].astype(int).isin(labels).to_numpy()
    ids = set(project.codebook.ids)
    inside = {e: frozenset(c for c in codes if c in ids) for e, codes in labels.items()}
    return label_matrix(data.excerpts, inside, project.codebook), known


def _own_labels(project: Project, data: TrainingData, model: SuggestModel | None
                ) -> tuple[np.ndarray, np.ndarray, str]:
    """(Y, known, description): the labels `model` learned from, for the rows of `data` — the training rows its
    folder carries, else the log up to its watermark, else (trained elsewhere, nothing carried) the current ones."""
    if model is None:
        return (*_labels_at(project, data, 0), "decisions up to 0")
    rows = registry.training_rows(model)
    if rows is not None:
        return (*_labels_from_rows(data, rows, project.codebook.ids), f"its {len(rows)} training rows")
    until = registry.watermark_of(project.store, registry.carried_from(model) or model.version)
    if until is None:
        return data.Y, np.ones(len(data.Y), bool), "current (no watermark)"
    return (*_labels_at(project, data, until), f"decisions up to {until}")


def _labels_from_rows(data: TrainingData, rows: Any, codes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(Y, known) from a model's training rows, matched to `data` by excerpt key, else by text."""
    by_key, by_text = dict(zip(rows["key"], rows["codes"])), dict(zip(rows["text"], rows["codes"]))
    found = [by_key.get(k, by_text.get(t)) for k, t in zip(data.excerpts["key"], data.excerpts["text"])]
    Y = np.array([[c in str(f or "").split(";") for c in codes] for f in found], dtype=np.int8).reshape(-1, len(codes))
    return Y, np.array([f is not None for f in found], bool)


def _evaluate(project: Project, data: TrainingData, folds: list[Any], model: SuggestModel | None
              ) -> dict[str, Any]:
    from sklearn.base import clone

    codebook, s = project.codebook, project.config.suggest
    recipe = make_estimator(codebook, project.config) if model is None else registry.recipe_of(model)
    Y_model, known, learned = _own_labels(project, data, model)
    probabilities, predictions = np.zeros(data.Y.shape), np.zeros(data.Y.shape, dtype=np.int8)
    for train, test in folds:
        rows = train[known[train]]
        test_frame = data.excerpts.iloc[test]
        # Word statistics (idf) see every excerpt but the ones fitted on, as `train_project` does with the
        # unreviewed ones: a baseline fitted on one fold's excerpts alone was underrated.
        fitted_on = rows if len(rows) else test  # nothing learned yet: the codebook alone, on what it scores
        rest = data.excerpts.iloc[np.setdiff1d(np.arange(len(data.excerpts)), fitted_on)]
        others = pd.concat([rest, data.unlabelled], ignore_index=True)
        if len(rows):
            fitted = clone(recipe).fit(data.excerpts.iloc[rows], Y_model[rows], groups=data.groups[rows],
                                       unlabelled=others)
        else:
            fitted = clone(recipe).fit(test_frame, [()] * len(test), unlabelled=others)
        probabilities[test] = _in_order(fitted, fitted.predict_proba(test_frame), codebook.ids)
        thresholds = _in_order(fitted, np.asarray(fitted.thresholds_)[None, :], codebook.ids)[0]
        predictions[test] = cap(probabilities[test], np.maximum(thresholds, s.min_score), s.top_k)
    summary = score(data.Y, probabilities, predictions, codebook.ids, n_folds=len(folds)).summary()
    summary["labels"] = learned
    return summary


def _in_order(estimator: Any, matrix: np.ndarray, codes: tuple[str, ...]) -> np.ndarray:
    position = {str(c): j for j, c in enumerate(estimator.codes_)}
    return matrix[:, [position[c] for c in codes]]


def record_gold_labels(project: Project, gold_csv: str | Path) -> int:
    """Record a `key,codes` gold CSV as verified decisions (reviewer `gold`); returns how many were appended."""
    from pipeline.store.labels import record_gold

    return record_gold(project.store, gold_csv, codebook=project.codebook)


def default_model_name(folder: Path) -> str:
    """A model name from the project folder's name (lower case letters, digits, '_' and '.')."""
    cleaned = "".join(c if c.isalnum() or c in "_." else "_" for c in folder.resolve().name.lower())
    return cleaned.strip("_.") or "model"
