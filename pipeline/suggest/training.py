"""What a suggester learns from: the estimator a config describes, and verified labels as a training matrix."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.errors import ModelError
from pipeline.suggest.estimator import CodeSuggester
from pipeline.suggest.prior import codebook_profiles


@dataclass(frozen=True)
class TrainingData:
    excerpts: pd.DataFrame  # the verified excerpts (excerpt frame columns)
    Y: np.ndarray  # (n, n_codes) indicators in codebook order
    groups: np.ndarray  # informant, or the source name for documents and observations without one
    codes: tuple[str, ...]
    unlabelled: pd.DataFrame  # the current excerpts nobody has verified (word statistics for the codebook prior)


def make_estimator(codebook: Codebook, config: Config) -> CodeSuggester:
    s = config.suggest
    return CodeSuggester(codes=codebook_profiles(codebook), codebook_version=codebook.version,
                         backend=s.lemma_backend, use_context=s.use_context, blend_k=s.blend_k,
                         min_positive=s.min_positive, cv=s.cv_folds, n_reasons=s.n_reasons)


def training_data(every: pd.DataFrame, labels: dict[int, frozenset[str]], codebook: Codebook) -> TrainingData:
    """The verified rows of the excerpt frame `every` with their codes; a label outside the codebook is an error
    naming the excerpt."""
    verified = every["excerpt_id"].isin(labels)
    excerpts, unlabelled = every[verified].reset_index(drop=True), every[~verified].reset_index(drop=True)
    return TrainingData(excerpts, label_matrix(excerpts, labels, codebook), groups_of(excerpts), codebook.ids,
                        unlabelled)


def label_matrix(excerpts: pd.DataFrame, labels: dict[int, frozenset[str]], codebook: Codebook) -> np.ndarray:
    position = {code: j for j, code in enumerate(codebook.ids)}
    Y = np.zeros((len(excerpts), len(position)), dtype=np.int8)
    for i, (excerpt_id, key) in enumerate(zip(excerpts["excerpt_id"], excerpts["key"])):
        for code in labels.get(int(excerpt_id), frozenset()):
            if code not in position:
                raise ModelError(f"verified label '{code}' of excerpt {key} is not in codebook {codebook.version}",
                                 key=key, hint="fix the label in review, or train with the codebook it belongs to")
            Y[i, position[code]] = 1
    return Y


def groups_of(excerpts: pd.DataFrame) -> np.ndarray:
    """The unit of grouped cross-validation: the informant, else the source (documents, observations)."""
    return excerpts["informant"].where(excerpts["informant"].notna(), excerpts["source"]).astype(str).to_numpy()


def rows_of(data: TrainingData) -> pd.DataFrame:
    """The training rows a model folder carries: excerpt key, text, context, group and ';'-joined codes."""
    codes = [";".join(c for c, y in zip(data.codes, row) if y) for row in data.Y]
    return pd.DataFrame({"key": data.excerpts["key"].astype(str), "text": data.excerpts["text"].astype(str),
                         "context": data.excerpts["context"], "group": data.groups, "codes": codes})


def with_carried(data: TrainingData, carried: pd.DataFrame | None, codebook: Codebook) -> TrainingData:
    """`data` (the project's verified labels) plus the rows a model learned elsewhere (`carried`, see `rows_of`);
    for the same excerpt key or text the project's label wins. Carried rows get negative excerpt ids."""
    if carried is None or len(carried) == 0:
        return data
    mine_keys, mine_texts = set(data.excerpts["key"].astype(str)), set(data.excerpts["text"].astype(str))
    extra = carried[~carried["key"].isin(mine_keys) & ~carried["text"].isin(mine_texts)].reset_index(drop=True)
    if len(extra) == 0:
        return data
    ids = -1 - np.arange(len(extra))
    frame = pd.DataFrame({"excerpt_id": ids, "key": extra["key"], "text": extra["text"],
                          "context": extra["context"], "informant": extra["group"], "source": extra["group"]})
    frame = frame.reindex(columns=data.excerpts.columns if len(data.excerpts.columns) else frame.columns)
    labels = {int(i): frozenset(c for c in str(codes).split(";") if c) for i, codes in zip(ids, extra["codes"])}
    Y = label_matrix(frame, labels, codebook)
    excerpts = pd.concat([data.excerpts, frame], ignore_index=True) if len(data.excerpts) else frame
    return dataclasses.replace(data, excerpts=excerpts, Y=np.vstack([data.Y, Y]),
                               groups=np.concatenate([data.groups, groups_of(frame)]))
