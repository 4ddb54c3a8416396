"""The model registry: model versions, their cards, their codebook binding, the model in use, and its history.

Nothing else reads or writes model folders: callers load, save, version and promote through here (the file format
itself is `persist.py`). The model in use is the project's last promoted version, else the one named in
`[suggest] model`, else a model shipped with reduksi (`models/`, installed as `pipeline.models`) whose card names
this very codebook version (so the demo's model serves the demo's codebook and nothing else), else none
(codebook-only suggestions, version `codebook-<hash>`). A model trained for an earlier version of the project's
codebook is carried through the logged changes made since (`carry.py`): the codes it knows keep its suggestions,
new codes start cold, and `model_notes` says so in one line. Importing this module does not import scikit-learn,
so listing models stays fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

from pipeline.codebook import Codebook
from pipeline.config import Config
from pipeline.decision_log import carried_codes
from pipeline.store import Store
from pipeline.store.codebooks import codebook_changes
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
           "watermark_of", "carried_from", "model_notes", "recipe_of", "in_use_label"]


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


def shipped_model_for(codebook: Codebook, earlier: tuple[str, ...] = ()) -> Path | None:
    """The newest shipped model folder trained for exactly this codebook version, else for the latest of the
    `earlier` versions it descends from (to be carried across the changes), if any."""
    trained_for = {card.parent: json.loads(card.read_text(encoding="utf-8")).get("codebook_version")
                   for card in shipped_models_folder().glob(f"*/{CARD_FILE}")}
    for version in (codebook.version, *reversed(earlier)):
        found = [folder for folder, wanted in trained_for.items() if wanted == version]
        if found:
            return max(found, key=_version_key)
    return None


def configured_model(config: Config, codebook: Codebook, store: Store | None = None) -> SuggestModel | None:
    """The model named by `[suggest] model`, else a shipped model trained for this codebook (or, given the project's
    `store`, for a version its codebook changes lead from: carried), else None (codebook-only; always so in open
    coding). A named model for another codebook is an error unless the logged changes lead from its codebook."""
    if codebook.is_empty or config.suggest.model == NO_MODEL:
        return None
    changes = codebook_changes(store) if store is not None else []
    if config.suggest.model:
        folder = config.path(config.suggest.model)
        carried = _carried(load_model(folder), changes, codebook) if changes else None
        return carried or load_model(folder, codebook)
    shipped = shipped_model_for(codebook, tuple(c.from_version for c in changes))
    if shipped is None:
        return None
    return _carried(load_model(shipped), changes, codebook) or load_model(shipped, codebook)


def _carried(model: SuggestModel, changes: list[Any], codebook: Codebook) -> SuggestModel | None:
    """`model` itself when trained for `codebook`; else read through the changes since its codebook (see
    `carry.py`), or None when they do not lead from it."""
    trained_for = model.card.get("codebook_version")
    if trained_for == codebook.version:
        return model
    names = carried_codes(changes, str(trained_for), codebook.version, [str(c) for c in model.estimator.codes_])
    if names is None:
        return None
    from pipeline.suggest.carry import CarriedSuggester
    from pipeline.suggest.estimator import CodeSuggester
    from pipeline.suggest.prior import codebook_profiles

    estimator = CarriedSuggester(cast(CodeSuggester, model.estimator), names, codebook_profiles(codebook),
                                 codebook.version)
    card = {**model.card, "codebook_version": codebook.version, "trained_for_codebook": trained_for,
            "carried_from": model.version, "carried_codes": list(estimator.known_),
            "cold_codes": list(estimator.cold_codes_)}
    return SuggestModel(version=f"{model.version}+{codebook.identity}", path=model.path,
                        estimator=cast(Suggester, estimator), card=card)


def carried_from(model: SuggestModel | None) -> str | None:
    """The version a carried model was trained as (None: not carried)."""
    return None if model is None else model.card.get("carried_from")


def training_rows(model: SuggestModel | None) -> Any:
    """The labels `model` learned from (a frame: key, text, context, group, codes), or None (no model, or a model
    folder that does not carry them). A carried model's rows read in the current codes; a row with a code whose
    meaning is gone (split, retired) is left out: what it says of the new codes is unknown."""
    if model is None:
        return None
    rows = load_training_rows(model.path)
    names = getattr(model.estimator, "code_map", None)
    if rows is None or names is None:
        return rows
    split = {str(code) for code in getattr(model.estimator, "model").codes_} - set(names)
    labels = [[c for c in str(codes).split(";") if c] for codes in rows["codes"]]
    keep = [not split & set(codes) for codes in labels]
    translated = [";".join(sorted({names[c] for c in codes if c in names})) for codes in labels]
    return rows.assign(codes=translated)[keep].reset_index(drop=True)


def recipe_of(model: SuggestModel) -> Any:
    """The unfitted estimator a model's labels are re-fitted with (a carried model: its parameters, current codes)."""
    recipe = getattr(model.estimator, "recipe", None)
    return recipe() if recipe is not None else model.estimator


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
    """The project's model in use (the last promoted), carried across the codebook changes made since it was
    trained; None when there is none, or when the changes do not lead from its codebook."""
    event = promoted_event(store)
    if event is None:
        return None
    if _card_codebook(Path(event.path)) == codebook.version:
        return load_model(event.path, codebook)
    return _carried(load_model(event.path), codebook_changes(store), codebook)


def model_notes(store: Store, codebook: Codebook, model: SuggestModel | None) -> tuple[str, ...]:
    """One line when the model in use was trained for another version of the codebook: carried (which codes start
    cold), or — the codebook changed beyond what the log can follow — not used at all."""
    if model is not None and carried_from(model):
        cold = model.card.get("cold_codes", [])
        new = f"new codes start from the codebook ({', '.join(cold)})" if cold else "no code starts cold"
        return (f"model {carried_from(model)} was trained for codebook {model.card.get('trained_for_codebook')}; "
                f"its {len(model.card.get('carried_codes', []))} codes keep their suggestions, {new}, until you "
                "run `reduksi train`",)
    event = promoted_event(store)
    trained_for = None if event is None else _card_codebook(Path(event.path))
    if model is not None or event is None or trained_for in (None, codebook.version):
        return ()
    return (f"model {event.version} was trained for codebook {trained_for}, the codebook is now {codebook.version}: "
            "suggestions come from the codebook until you run `reduksi train`",)


def _card_codebook(folder: Path) -> str | None:
    card = folder / CARD_FILE
    return json.loads(card.read_text(encoding="utf-8")).get("codebook_version") if card.is_file() else None


def in_use_label(store: Store, config: Config, codebook: Codebook) -> str:
    """Which model is in use and why, without loading it (for listings)."""
    event = promoted_event(store)
    if event is not None:
        return f"{event.version} (promoted in this project)"
    if codebook.is_empty or config.suggest.model == NO_MODEL:
        return "none: suggestions come from the codebook"
    if config.suggest.model:
        return f"{Path(config.suggest.model).name} ([suggest] model)"
    shipped = shipped_model_for(codebook, tuple(c.from_version for c in codebook_changes(store)))
    return f"{shipped.name} (shipped with reduksi)" if shipped else "none: suggestions come from the codebook"


def in_use_model(store: Store, config: Config, codebook: Codebook) -> SuggestModel | None:
    """The project's promoted model, else the one named in `[suggest] model`, else None (codebook only)."""
    return promoted_model(store, codebook) or configured_model(config, codebook, store)


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
