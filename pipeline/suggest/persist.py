"""Model files: `models/NAME-VERSION/model.skops` (skops, explicit trusted types) + `model_card.json`.

skops rebuilds only the types it is told to trust, so a model file cannot run arbitrary code on load the way a
pickle can. Anything outside `TRUSTED_TYPES` is refused with the list of offending types.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.codebook import Codebook
from pipeline.errors import ModelError
from pipeline.suggest.protocol import Suggester

MODEL_FILE = "model.skops"
CARD_FILE = "model_card.json"
# The labels a model learned from, carried beside it so a project's `train` can add its own verified labels to them.
TRAINING_FILE = "training.csv"
TRAINING_COLUMNS = ("key", "text", "context", "group", "codes")  # codes: ';'-joined code ids
NAME = re.compile(r"^[a-z0-9][a-z0-9_.]*$")
# Bump when the persisted state of the suggester changes shape; older files are refused with "retrain".
MODEL_FORMAT = 1

# Every type a suggester file may contain, beyond the primitives skops always allows. Keep it explicit:
# adding a type here is a security decision.
TRUSTED_TYPES = [
    "pipeline.suggest.estimator.CodeSuggester",
    "pipeline.suggest.features.ExcerptFeatures",
    "pipeline.suggest.features.Lemmatizer",
    "pipeline.suggest.ngrams.CharNgrams",
    "pipeline.suggest.prior.CodebookPrior",
    "scipy.sparse._csr.csr_matrix",
]
LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "pandas", "spacy", "joblib")


@dataclass(frozen=True)
class SuggestModel:
    """A loaded model: its folder name (NAME-VERSION) is the version recorded with every suggestion."""

    version: str
    path: Path
    estimator: Suggester
    card: dict[str, Any]


def save_model(estimator: Any, folder: str | Path, card: dict[str, Any]) -> Path:
    """Write the estimator and its card into `folder` (created; an existing model folder is never overwritten)."""
    import skops.io as sio

    folder = Path(folder)
    if (folder / MODEL_FILE).exists():
        raise ModelError("a model already exists here; models are immutable, train a new version", file=folder)
    folder.mkdir(parents=True, exist_ok=True)
    sio.dump(estimator, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
                                    encoding="utf-8")
    return folder


def save_training_rows(folder: str | Path, rows: Any) -> Path:
    """Write a model's training rows (a frame with TRAINING_COLUMNS) beside its card."""
    path = Path(folder) / TRAINING_FILE
    rows.reindex(columns=list(TRAINING_COLUMNS)).to_csv(path, index=False, encoding="utf-8")
    return path


def load_training_rows(folder: str | Path) -> Any:
    """The training rows a model folder carries (a frame with TRAINING_COLUMNS), or None when it has none."""
    import pandas as pd

    path = Path(folder) / TRAINING_FILE
    if not path.is_file():
        return None
    rows = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = sorted(set(TRAINING_COLUMNS) - set(rows.columns))
    if missing:
        raise ModelError(f"training rows lack columns {', '.join(missing)}", file=path,
                         hint=f"the file needs the columns {', '.join(TRAINING_COLUMNS)}")
    return rows.assign(context=rows["context"].replace("", None))


def load_model(folder: str | Path, codebook: Codebook | None = None) -> SuggestModel:
    """Load a model folder, refusing untrusted types and (when `codebook` is given) another codebook's model. A
    folder already loaded in this process and unchanged on disk is not read again (model folders are never
    overwritten; the fitted estimator is only read from)."""
    folder = Path(folder)
    file, card_file = folder / MODEL_FILE, folder / CARD_FILE
    if not file.exists() or not card_file.exists():
        raise ModelError(f"not a model folder (needs {MODEL_FILE} and {CARD_FILE})", file=folder,
                         hint="train one with `reduksi train PROJECT`")
    stamp = (str(folder.resolve()), file.stat().st_mtime_ns, card_file.stat().st_mtime_ns)
    model = _LOADED.get(stamp)
    if model is None:
        model = _read_model(folder, file, card_file)
        _LOADED.clear() if len(_LOADED) >= 4 else None
        _LOADED[stamp] = model
    if codebook is not None:
        check_codebook(model, codebook)
    return model


_LOADED: dict[tuple[str, int, int], SuggestModel] = {}


def _read_model(folder: Path, file: Path, card_file: Path) -> SuggestModel:
    import skops.io as sio

    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
        untrusted = sorted(set(sio.get_untrusted_types(file=file)) - set(TRUSTED_TYPES))
    except (ValueError, OSError, KeyError) as exc:
        raise ModelError(f"unreadable model file: {exc}", file=file) from None
    if card.get("format") != MODEL_FORMAT:
        raise ModelError(f"model format {card.get('format')} is not the format this version reads ({MODEL_FORMAT})",
                         file=card_file, hint="retrain with `reduksi train PROJECT`")
    if untrusted:
        raise ModelError(f"refusing to load: the file contains types that are not trusted: {', '.join(untrusted)}",
                         file=file, hint="only load models built by reduksi; see TRUSTED_TYPES in "
                                         "pipeline/suggest/persist.py")
    estimator = sio.load(file, trusted=TRUSTED_TYPES)
    return SuggestModel(version=folder.name, path=folder, estimator=estimator, card=card)


def check_codebook(model: SuggestModel, codebook: Codebook) -> None:
    """A model knows the codes of the codebook it was trained on, and only those."""
    trained_for = model.card.get("codebook_version") or getattr(model.estimator, "codebook_version", "")
    if trained_for != codebook.version:
        raise ModelError(f"model '{model.version}' was trained for codebook {trained_for or '(unknown)'}, but the "
                         f"codebook in use is {codebook.version}", file=model.path,
                         hint="retrain with `reduksi train PROJECT`, or set [suggest] model to a matching model")


def next_version(models_dir: str | Path, name: str, *, also_in: tuple[str | Path, ...] = ()) -> str:
    """`NAME-N` with N one more than the highest version of NAME in `models_dir` and in `also_in` (e.g. the folder
    of the shipped default model), so a project's new model never shares a version name with one in use."""
    if not NAME.match(name):
        raise ModelError(f"model name '{name}' must be lower case letters, digits, '_' or '.'")
    taken = [int(p.name.rsplit("-", 1)[1]) for folder in (models_dir, *also_in) for p in Path(folder).glob(f"{name}-*")
             if p.name.rsplit("-", 1)[1].isdigit()]
    return f"{name}-{max(taken, default=0) + 1}"


def data_hash(rows: list[tuple[str, str, tuple[str, ...]]]) -> str:
    """Hash of the training data: (excerpt key, text, sorted codes) rows, order-independent."""
    digest = hashlib.sha256()
    for key, text, codes in sorted(rows):
        digest.update(json.dumps([key, text, sorted(codes)], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def model_card(estimator: Any, *, version: str, training: dict[str, Any], metrics: dict[str, Any],
               config: dict[str, Any]) -> dict[str, Any]:
    """What the model is, what it learned from, how well it did, with which libraries and settings."""
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in estimator.get_params().items() if k != "codes"}
    return {
        "format": MODEL_FORMAT,
        "version": version,
        "codebook_version": estimator.codebook_version,
        "codes": [str(c) for c in estimator.codes_],
        "label_counts": {str(c): int(n) for c, n in zip(estimator.codes_, estimator.n_positive_)},
        "model_weight": {str(c): round(float(w), 4) for c, w in zip(estimator.codes_, estimator.weights_)},
        "thresholds": {str(c): float(t) for c, t in zip(estimator.codes_, estimator.thresholds_)},
        "lemma_backend": _backend_name(estimator.backend),
        "training": training,
        "metrics": metrics,
        "params": params,
        "config": config,
        "libraries": library_versions(),
    }


def _backend_name(name: str) -> str:
    """The versioned name of the tokenizer backend behind the lemma features (e.g. "spacy-id/1")."""
    from pipeline.suggest.features import _backend

    return str(getattr(_backend(name), "name", name))
