"""The model registry: model versions, their cards, their codebook binding, the model in use, and its history.

Nothing else reads or writes model folders: callers load, save, version and promote through here (the file format
itself is `persist.py`). The model in use is the project's last promoted version, else the one named in
`[suggest] model`, else a model shipped with reduksi (`models/`, installed as `pipeline.models`) whose card names
this very codebook version (so the demo's model serves the demo's codebook and nothing else), else none
(codebook-only suggestions, version `codebook-<hash>`). Importing this module does not import scikit-learn, so
listing models stays fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.store import Store
from pipeline.store.models import ModelEvent, model_events, record_model_event
from pipeline.suggest.persist import (
    CARD_FILE,
    SuggestModel,
    check_codebook,
    load_model,
    load_training_rows,
    next_version,
    save_model,
    save_training_rows,
)
from pipeline.suggest.protocol import Suggester

NO_MODEL = "none"  # `[suggest] model = "none"`: codebook-only suggestions, whatever ships

__all__ = ["NO_MODEL", "ModelRow", "SuggestModel", "Suggester", "check_codebook", "configured_model", "in_use_model",
           "list_models", "load_model", "model_version", "next_version", "promoted_model", "record_event",
           "save_model", "save_model_with_rows", "shipped_model_for", "shipped_models_folder", "training_rows",
           "watermark_of"]


@dataclass(frozen=True)
class ModelRow:
    """One model folder as `reduksi models` lists it."""

    version: str
    path: str
    in_use: bool
    status: str  # unreviewed | trained | promoted | kept
    excerpts: int | None
    micro_f1: float | None
    macro_f1: float | None
    codebook: str | None
    compared_to: str | None
    old_score: float | None
    new_score: float | None
    forced: bool
    exists: bool


def model_version(model: SuggestModel | None, codebook: Codebook | None = None) -> str:
    """The version recorded with suggestions: the model folder name, or `codebook-<hash>` at cold start."""
    if model is not None:
        return model.version
    return codebook.identity if codebook is not None else "codebook"


def shipped_models_folder() -> Path:
    """Where the models shipped with reduksi live (the wheel's `pipeline/models`, or `models/` in a checkout)."""
    return Path(str(resources.files("pipeline.models")))


def shipped_model_for(codebook: Codebook) -> Path | None:
    """The newest shipped model folder trained for exactly this codebook version, if any."""
    found = [card.parent for card in shipped_models_folder().glob(f"*/{CARD_FILE}")
             if json.loads(card.read_text(encoding="utf-8")).get("codebook_version") == codebook.version]
    return max(found, key=_version_key) if found else None


def configured_model(config: Config, codebook: Codebook) -> SuggestModel | None:
    """The model named by `[suggest] model` (checked against the codebook), else a shipped model trained for this
    codebook, else None (codebook-only suggestions; always so in open coding)."""
    if codebook.is_empty or config.suggest.model == NO_MODEL:
        return None
    if config.suggest.model:
        return load_model(config.path(config.suggest.model), codebook)
    shipped = shipped_model_for(codebook)
    return None if shipped is None else load_model(shipped, codebook)


def training_rows(model: SuggestModel | None) -> Any:
    """The labels `model` learned from (a frame: key, text, context, group, codes), or None (no model, or a model
    folder that does not carry them)."""
    return None if model is None else load_training_rows(model.path)


def save_model_with_rows(estimator: Any, folder: str | Path, card: dict[str, Any], rows: Any) -> Path:
    """Save a model folder and the training rows it learned from beside it."""
    folder = save_model(estimator, folder, card)
    save_training_rows(folder, rows)
    return folder


def record_event(store: Store, model: SuggestModel, event: str, *, watermark: int | None,
                 compared_to: str | None = None, metrics: dict[str, Any] | None = None, forced: bool = False) -> None:
    record_model_event(store, model.version, str(Path(model.path).resolve()), event, watermark=watermark,
                       compared_to=compared_to, metrics=metrics, forced=forced)


def promoted_event(store: Store) -> ModelEvent | None:
    found = [e for e in model_events(store) if e.event == "promoted"]
    return found[-1] if found else None


def promoted_model(store: Store, codebook: Codebook) -> SuggestModel | None:
    """The project's model in use (the last promoted), or None; none either when it was trained for another
    codebook version (the codebook changed since: see `stale_model_note`)."""
    event = promoted_event(store)
    if event is None or _card_codebook(Path(event.path)) != codebook.version:
        return None
    return load_model(event.path, codebook)


def stale_model_note(store: Store, codebook: Codebook) -> str | None:
    """One line when the promoted model was trained for an earlier version of the codebook."""
    event = promoted_event(store)
    trained_for = None if event is None else _card_codebook(Path(event.path))
    if event is None or trained_for in (None, codebook.version):
        return None
    return (f"model {event.version} was trained for codebook {trained_for}, the codebook is now {codebook.version}: "
            "suggestions come from the codebook until you run `reduksi train`")


def _card_codebook(folder: Path) -> str | None:
    card = folder / CARD_FILE
    return json.loads(card.read_text(encoding="utf-8")).get("codebook_version") if card.is_file() else None


def in_use_model(store: Store, config: Config, codebook: Codebook) -> SuggestModel | None:
    """The project's promoted model, else the one named in `[suggest] model`, else None (codebook only)."""
    return promoted_model(store, codebook) or configured_model(config, codebook)


def watermark_of(store: Store, version: str) -> int | None:
    """The last decision id the model `version` learned from (None: unknown, e.g. a model trained elsewhere)."""
    found = [e.watermark for e in model_events(store) if e.version == version and e.watermark is not None]
    return found[0] if found else None


def list_models(store: Store, models_dir: str | Path) -> list[ModelRow]:
    """Every model folder with its card figures and what happened to it (trained / promoted / kept, in use)."""
    history = model_events(store)
    in_use = promoted_event(store)
    known = {Path(e.path).resolve() for e in history}
    paths = sorted({p.parent.resolve() for p in Path(models_dir).glob(f"*/{CARD_FILE}")} | known, key=_version_key)
    return [_row(path, history, in_use) for path in paths]


def _row(path: Path, history: list[ModelEvent], in_use: ModelEvent | None) -> ModelRow:
    card_file = path / CARD_FILE
    card = json.loads(card_file.read_text(encoding="utf-8")) if card_file.exists() else {}
    mine = [e for e in history if Path(e.path).resolve() == path]
    last = next((e for e in reversed(mine) if e.event in ("promoted", "kept")), None)
    metrics = card.get("metrics", {})
    compared = last.metrics if last else {}
    metric = compared.get("metric")
    return ModelRow(version=path.name, path=str(path),
                    in_use=in_use is not None and Path(in_use.path).resolve() == path,
                    status=last.event if last else ("trained" if mine else "unreviewed"),
                    excerpts=card.get("training", {}).get("excerpts"), micro_f1=metrics.get("micro_f1"),
                    macro_f1=metrics.get("macro_f1"), codebook=card.get("codebook_version"),
                    compared_to=last.compared_to if last else None,
                    old_score=compared.get("old", {}).get(metric), new_score=compared.get("new", {}).get(metric),
                    forced=bool(last.forced) if last else False, exists=card_file.exists())


def _version_key(path: Path) -> tuple[str, int]:
    name, _, number = path.name.rpartition("-")
    return (name, int(number)) if number.isdigit() else (path.name, 0)


def in_use_row(store: Store, config: Config, codebook: Codebook) -> ModelRow | None:
    """The model in use as `list_models` shows it, read from its card only (nothing is loaded): the promoted model
    trained for this codebook, else `[suggest] model`, else a shipped model for this codebook, else None."""
    if codebook.is_empty or config.suggest.model == NO_MODEL:
        return None
    event = promoted_event(store)
    in_use = event if event is not None and _card_codebook(Path(event.path)) == codebook.version else None
    if in_use is not None:
        path: Path | None = Path(in_use.path)
    elif config.suggest.model:
        path = config.path(config.suggest.model)
    else:
        path = shipped_model_for(codebook)
    return None if path is None else _row(Path(path).resolve(), model_events(store), event)
