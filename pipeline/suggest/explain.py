"""Reasons: the few words or n-grams of an excerpt that pushed a suggestion, in the excerpt's own spelling.

A linear score is a sum of per-feature contributions (feature value x weight). Features are mapped back to what a
reviewer can find in the text: a lemma n-gram becomes the surface words carrying those lemmas, a character n-gram
is credited to the words that contain it. The interviewer's question may move the score too, but its words are not
the informant's: `terms` leaves them out and `question_terms` returns them, to be shown apart (a suggestion's
`context_reasons`), never highlighted in the excerpt.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from pipeline.suggest.features import CHAR, LEMMA, QUESTION

QUESTION_LABEL = "tanya: "  # how a shell may label context_reasons
_CANDIDATES = 12  # features looked at per suggestion: enough to find the top few terms, cheap to map


def top_contributions(indices: np.ndarray, values: np.ndarray, weights: np.ndarray) -> dict[int, float]:
    """The largest positive contributions `values * weights[indices]`, as {feature index: contribution}."""
    if indices.size == 0:
        return {}
    contribution = values * weights[indices]
    keep = np.flatnonzero(contribution > 0)
    if keep.size > _CANDIDATES:
        keep = keep[np.argpartition(-contribution[keep], _CANDIDATES)[:_CANDIDATES]]
    return {int(indices[k]): float(contribution[k]) for k in keep}


def terms(contributions: dict[str, float], words: list[tuple[str, str]]) -> dict[str, float]:
    """Aggregate {feature name: contribution} into {term as written in the excerpt: contribution}."""
    by_lemma: dict[str, str] = {}
    for surface, lemma in words:
        by_lemma.setdefault(lemma, surface)
    padded = [(f" {surface} ", surface) for surface in sorted({surface for surface, _ in words})]
    totals: dict[str, float] = defaultdict(float)
    for name, value in contributions.items():
        prefix, feature = name[:2], name[2:]
        if prefix == LEMMA:
            totals[" ".join(by_lemma.get(part, part) for part in feature.split(" "))] += value
        elif prefix == CHAR:
            holders = [surface for pad, surface in padded if feature in pad]
            for surface in holders:
                totals[surface] += value / len(holders)
    return totals


def question_terms(contributions: dict[str, float]) -> dict[str, float]:
    """{question lemma: contribution} for the question features among {feature name: contribution}."""
    return {name[2:]: value for name, value in contributions.items() if name[:2] == QUESTION}


def merge(parts: list[tuple[dict[str, float], float]], n: int) -> list[str]:
    """Combine term scores from several sources, each normalised and weighted by its share; best `n` terms."""
    combined: dict[str, float] = defaultdict(float)
    for scores, share in parts:
        total = sum(v for v in scores.values() if v > 0)
        if total <= 0 or share <= 0:
            continue
        for term, value in scores.items():
            if value > 0:
                combined[term] += share * value / total
    chosen: list[str] = []
    for term, _ in sorted(combined.items(), key=lambda item: (-item[1], item[0])):
        if len(chosen) == n:
            break
        # "aturan" after "aturan kelas" (or the reverse) says nothing new: skip nested terms.
        words = set(term.split())
        if not any(words <= set(other.split()) or set(other.split()) <= words for other in chosen):
            chosen.append(term)
    return chosen
