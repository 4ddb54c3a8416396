"""Beranda: the project at a glance — sources, excerpts, the verified share, counts per code, the model in use with
its figures, agreement between reviewers, and recent activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.app.codebook import CodeRow, codebook_rows
from pipeline.app.project import Project
from pipeline.decision_log import LabelState
from pipeline.errors import ReduksiError
from pipeline.store import decisions
from pipeline.store import workspace as repo
from pipeline.suggest import registry
from pipeline.suggest.registry import ModelRow


@dataclass(frozen=True)
class AgreementSummary:
    coders: tuple[str, ...]
    excerpts: int  # excerpts coded by every compared pair (overall row of the first pair)
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class Dashboard:
    sources: int
    excerpts: int
    verified: int
    irrelevant: int
    codes: tuple[CodeRow, ...]
    model: ModelRow | None
    model_version: str
    reviewers: dict[str, int]
    agreement: AgreementSummary | None
    activity: tuple[dict[str, Any], ...]

    @property
    def verified_share(self) -> float:
        return self.verified / self.excerpts if self.excerpts else 0.0


def dashboard(project: Project, activity: int = 12) -> Dashboard:
    counts = repo.project_counts(project.store)
    state = decisions.label_state(project.store)  # the log replayed once for every figure on the page
    model = registry.in_use_row(project.store, project.config, project.codebook)
    version = model.version if model is not None else project.codebook.identity
    return Dashboard(counts["sources"], counts["excerpts"], len(state.labels), len(state.irrelevant),
                     tuple(codebook_rows(project, state.labels)), model, version,
                     decisions.reviewers(project.store), agreement_summary(project, state),
                     tuple(_readable(a) for a in repo.recent_activity(project.store, activity)))


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    """Code lists as the log stores them (JSON) read as plain words."""
    return {k: (v.replace('"', "").replace("[", "").replace("]", "") if isinstance(v, str) and k != "at" else v)
            for k, v in row.items()}


def agreement_summary(project: Project, state: LabelState | None = None) -> AgreementSummary | None:
    """Overall agreement between the human reviewers (None with fewer than two who coded the same excerpts): point
    figures only (no bootstrap intervals, which `reduksi agreement` gives), so the page stays fast."""
    from dataclasses import replace

    from pipeline.review import agreement
    from pipeline.review.agreement import OVERALL

    state = decisions.label_state(project.store) if state is None else state
    codings = {name: labels for name, labels in sorted(state.by_reviewer.items()) if labels}
    if len(codings) < 2 or project.codebook.is_empty:
        return None
    try:
        result = agreement.run(codings, project.codebook.ids, replace(project.config.review, bootstrap=0))
    except ReduksiError:
        return None
    overall = result.pairs[result.pairs["code"] == OVERALL] if len(result.pairs) else result.pairs
    alpha = result.alpha[result.alpha["code"] == OVERALL] if len(result.alpha) else result.alpha
    first = overall.iloc[0] if len(overall) else None
    return AgreementSummary(result.coders, int(first["n_excerpts"]) if first is not None else 0,
                            _number(first, "percent"), _number(first, "kappa"),
                            _number(alpha.iloc[0] if len(alpha) else None, "alpha"))


def _number(row: Any, column: str) -> float | None:
    if row is None or column not in row or row[column] != row[column]:
        return None
    return float(row[column])
