"""Train, suggest and evaluate over a project store: read excerpts and verified labels, call the stage, write back.

The CLI (`pipeline/cli/suggest.py`) is a thin shell over these functions.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook
from pipeline.config import Config, config_to_toml
from pipeline.errors import ModelError
from pipeline.store import Store
from pipeline.store.excerpts import excerpts_frame
from pipeline.store.labels import verified_labels
from pipeline.store.runs import finish_run, start_run
from pipeline.store.suggestions import save_suggestions
from pipeline.suggest import persist
from pipeline.suggest.estimator import CodeSuggester
from pipeline.suggest.evaluate import Evaluation, cross_validate
from pipeline.suggest.prior import codebook_profiles
from pipeline.suggest.stage import run


@dataclass(frozen=True)
class TrainingData:
    excerpts: pd.DataFrame  # the verified excerpts (excerpt frame columns)
    Y: np.ndarray  # (n, n_codes) indicators in codebook order
    groups: np.ndarray  # informant, or the source name for documents and observations without one
    codes: tuple[str, ...]
    unlabelled: pd.DataFrame  # the current excerpts nobody has verified (word statistics for the codebook prior)


@dataclass(frozen=True)
class TrainResult:
    model: persist.SuggestModel
    evaluation: Evaluation | None
    seconds: float


def make_estimator(codebook: Codebook, config: Config) -> CodeSuggester:
    s = config.suggest
    return CodeSuggester(codes=codebook_profiles(codebook), codebook_version=codebook.version,
                         backend=s.lemma_backend, use_context=s.use_context, blend_k=s.blend_k,
                         min_positive=s.min_positive, cv=s.cv_folds, n_reasons=s.n_reasons)


def training_data(store: Store, codebook: Codebook) -> TrainingData:
    """Verified excerpts with their codes; a label outside the codebook is an error naming the excerpt."""
    labels = verified_labels(store)
    every = excerpts_frame(store)
    verified = every["excerpt_id"].isin(labels)
    excerpts, unlabelled = every[verified].reset_index(drop=True), every[~verified].reset_index(drop=True)
    position = {code: j for j, code in enumerate(codebook.ids)}
    Y = np.zeros((len(excerpts), len(position)), dtype=np.int8)
    for i, (excerpt_id, key) in enumerate(zip(excerpts["excerpt_id"], excerpts["key"])):
        for code in labels[int(excerpt_id)]:
            if code not in position:
                raise ModelError(f"verified label '{code}' of excerpt {key} is not in codebook {codebook.version}",
                                 key=key, hint="fix the label in review, or train with the codebook it belongs to")
            Y[i, position[code]] = 1
    groups = excerpts["informant"].where(excerpts["informant"].notna(), excerpts["source"]).astype(str).to_numpy()
    return TrainingData(excerpts, Y, groups, codebook.ids, unlabelled)


def train_project(store: Store, codebook: Codebook, config: Config, name: str, models_dir: str | Path,
                  evaluate: bool = True) -> TrainResult:
    """Fit on the verified labels, evaluate by grouped CV (for the card), save `models_dir/NAME-N/`."""
    data = training_data(store, codebook)
    if len(data.excerpts) == 0:
        raise ModelError("no verified labels to train on", file=store.folder,
                         hint="review some suggestions, or record gold labels with `reduksi train --gold FILE`")
    shipped = (config.path(config.suggest.model).parent,) if config.suggest.model else ()
    version = persist.next_version(models_dir, name, also_in=shipped)
    estimator = make_estimator(codebook, config)
    evaluation = None
    if evaluate and len(np.unique(data.groups)) >= 2:
        evaluation = cross_validate(estimator, data.excerpts, data.Y, data.groups, n_splits=config.suggest.cv_folds,
                                    top_k=config.suggest.top_k, min_score=config.suggest.min_score)
    started = time.perf_counter()
    estimator.fit(data.excerpts, data.Y, groups=data.groups, unlabelled=data.unlabelled)
    seconds = time.perf_counter() - started
    training = {"excerpts": len(data.excerpts), "groups": int(len(np.unique(data.groups))),
                "data_hash": persist.data_hash([(k, t, tuple(c for c, y in zip(data.codes, row) if y))
                                                for k, t, row in zip(data.excerpts["key"], data.excerpts["text"],
                                                                      data.Y)]),
                "unlabelled_excerpts": len(data.unlabelled), "project": store.folder.name,
                "fit_seconds": round(seconds, 2)}
    metrics = {"cross_validation": "grouped by informant", **evaluation.summary()} if evaluation else {}
    card = persist.model_card(estimator, version=version, training=training, metrics=metrics,
                              config=dataclasses.asdict(config.suggest))
    folder = persist.save_model(estimator, Path(models_dir) / version, card)
    model = persist.SuggestModel(version=version, path=folder, estimator=estimator, card=card)
    return TrainResult(model, evaluation, seconds)


def suggest_project(store: Store, codebook: Codebook, config: Config,
                    model: persist.SuggestModel | None) -> tuple[int, pd.DataFrame]:
    """Suggest for every current excerpt; store the suggestions under a new run. Returns (run id, suggestions)."""
    run_id = start_run(store, "suggest", config_to_toml(config), config.suggest.lemma_backend)
    try:
        suggestions = run(excerpts_frame(store), codebook, config.suggest, model)
        save_suggestions(store, run_id, suggestions, codebook.version)
    except BaseException:
        finish_run(store, run_id, "failed")
        raise
    finish_run(store, run_id)
    return run_id, suggestions


def evaluate_project(store: Store, codebook: Codebook, config: Config, folds: int | None) -> Evaluation:
    """Grouped cross-validation on the verified labels (`folds` None: leave one informant out)."""
    data = training_data(store, codebook)
    if len(np.unique(data.groups)) < 2:
        raise ModelError("evaluation needs verified labels from at least two informants or sources",
                         file=store.folder)
    return cross_validate(make_estimator(codebook, config), data.excerpts, data.Y, data.groups, n_splits=folds,
                          top_k=config.suggest.top_k, min_score=config.suggest.min_score)
