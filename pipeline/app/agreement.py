"""Agreement use cases: each coder's verified labels (and the model in use as a coder), and the agreement figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.app.project import Project
from pipeline.decision_log import reviewer_key
from pipeline.review import agreement
from pipeline.store import decisions
from pipeline.store.excerpts import excerpts_frame
from pipeline.suggest import registry
from pipeline.suggest.persist import SuggestModel

Codings = dict[str, dict[int, frozenset[str]]]


def codings(project: Project, with_model: bool = True, model: SuggestModel | None = None) -> Codings:
    """Each reviewer's verified labels, plus (with_model) the codes the model in use suggests for the excerpts any
    reviewer verified, as coder `model:<version>`. A model trained on these very labels agrees in-sample."""
    from pipeline.suggest.stage import run as suggest_run

    result: Codings = {name: dict(labels) for name, labels in decisions.labels_by_reviewer(project.store).items()
                       if labels}
    if with_model:
        model = model if model is not None else registry.in_use_model(project.store, project.config,
                                                                       project.codebook)
        version = registry.model_version(model, project.codebook)
        verified = set().union(*(labels.keys() for labels in result.values())) if result else set()
        excerpts = excerpts_frame(project.store, current_only=False)
        excerpts = excerpts[excerpts["excerpt_id"].isin(verified)]
        suggested = _stored_suggestions(project, version, set(excerpts["excerpt_id"].astype(int)))
        if suggested is None:  # not suggested by this model yet: ask it
            suggested = suggest_run(excerpts, project.codebook, project.config.suggest, model)
        by_excerpt = suggested.groupby("excerpt_id")["code"].agg(frozenset).to_dict() if len(suggested) else {}
        result[f"{agreement.MODEL_PREFIX}{version}"] = {
            int(e): frozenset(by_excerpt.get(e, frozenset())) for e in excerpts["excerpt_id"]}
    return result


def _stored_suggestions(project: Project, version: str, excerpt_ids: set[int]) -> pd.DataFrame | None:
    """The stored suggestions for these excerpts when the latest suggestion run was made by `version` after the
    last ingest (what a new run would give: a model is deterministic); else None."""
    from pipeline.store.sources import newest_source_run
    from pipeline.store.suggestions import latest_suggestion_run, suggestions_for

    latest = latest_suggestion_run(project.store)
    if latest is None or latest[1] != version or newest_source_run(project.store) > latest[0]:
        return None
    rows = suggestions_for(project.store, sorted(excerpt_ids))
    return pd.DataFrame([(e, c) for e, c, _, _ in rows], columns=["excerpt_id", "code"])


def chosen_codings(project: Project, *, with_model: bool = True, reviewers: tuple[str, ...] = ()) -> Codings:
    """`codings`, restricted to the named reviewers (the model stays) when any are named."""
    found = codings(project, with_model=with_model)
    if reviewers:
        wanted = {reviewer_key(r) for r in reviewers}
        found = {k: v for k, v in found.items() if reviewer_key(k) in wanted or k.startswith(agreement.MODEL_PREFIX)}
    return found


def agreement_result(project: Project, *, drop_uncoded: bool = False, with_model: bool = True,
                     reviewers: tuple[str, ...] = ()) -> agreement.Agreement:
    """Percent, Cohen's kappa and Krippendorff's alpha, per code and overall, with bootstrap CIs (computed once per
    state of the project)."""
    from pipeline.app.cache import cached

    def compute() -> agreement.Agreement:
        found = chosen_codings(project, with_model=with_model, reviewers=reviewers)
        return agreement.run(found, project.codebook.ids, project.config.review, drop_uncoded=drop_uncoded)

    return cached(project, "agreement", compute, drop_uncoded, with_model, reviewers)


def agreement_frames(project: Project, *, drop_uncoded: bool = False, with_model: bool = True,
                     reviewers: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """Agreement for exports: {"pairs": agreement.PAIR_COLUMNS frame, "alpha": agreement.ALPHA_COLUMNS frame}.

    Empty frames (with the columns) when fewer than two coders have coded anything."""
    found = chosen_codings(project, with_model=with_model, reviewers=reviewers)
    if len(found) < 2:
        return {"pairs": pd.DataFrame(columns=agreement.PAIR_COLUMNS),
                "alpha": pd.DataFrame(columns=agreement.ALPHA_COLUMNS)}
    result = agreement.run(found, project.codebook.ids, project.config.review, drop_uncoded=drop_uncoded)
    return {"pairs": result.pairs, "alpha": result.alpha}


def write_agreement_csv(result: agreement.Agreement, folder: Path) -> list[Path]:
    """`agreement_pairs.csv` and `agreement_alpha.csv` in `folder` (cells guarded against formula injection)."""
    from pipeline.export.safety import safe_frame

    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "agreement_pairs.csv", folder / "agreement_alpha.csv"]
    for frame, path in zip((result.pairs, result.alpha), written):
        safe_frame(frame).to_csv(path, index=False)
    return written
