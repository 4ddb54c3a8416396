"""Who is the interviewer: a dictionary of labels, header definitions, the manifest, and inference per file.

Order of evidence: the manifest's `interviewer` column; labels defined in the file's header (`Interviewer (P) : …`,
`Pewawancara : Dewi`); the dictionary (config `interviewer_labels` plus the usual Indonesian and Q/A markers);
when none of these names an interviewer, the speaker who asks (largest share of turns ending in `?`, opening the
interview breaks ties). Every other speaker is an informant, each attributed by their own label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.labels import fold, role_key
from pipeline.records import INFORMANT, INFORMANT_WORDS, INTERVIEWER, INTERVIEWER_WORDS

# Dictionary words that are also ordinary words or single letters: a label only when used at least twice.
WEAK_WORDS = frozenset({"saya", "a", "t", "j", "q", "s", "r", "n", "tanya", "jawab", "answer"})
# Openers of a question or a prompt in interviews (a turn starting so asks, even without `?`).
PROMPT_WORDS = ("apa ", "apakah", "bagaimana", "mengapa", "kenapa", "siapa", "kapan", "di mana", "dimana", "berapa",
                "seperti apa", "menurut", "coba ", "ceritakan", "jelaskan", "sejauh", "adakah", "bisakah",
                "pernahkah", "bagaimanakah", "sebutkan", "mohon dijelaskan", "boleh diceritakan", "gimana", "ada nggak")
_MIN_QUESTION_SHARE = 0.3
_NEAR_BEST = 0.2


@dataclass(frozen=True)
class RoleEvidence:
    """What a file and its manifest row say about roles, before looking at the turns."""

    override: frozenset[str] = frozenset()  # manifest `interviewer` labels (folded): only these are interviewers
    dictionary: frozenset[str] = frozenset()  # interviewer labels (folded, config + built-in)
    defined: tuple[tuple[str, str], ...] = ()  # (folded label or name, role) from the header


def evidence(config_labels: tuple[str, ...], manifest_labels: tuple[str, ...],
             defined: tuple[tuple[str, str], ...] = ()) -> RoleEvidence:
    return RoleEvidence(override=frozenset(fold(x) for x in manifest_labels),
                        dictionary=frozenset(fold(x) for x in (*config_labels, *INTERVIEWER_WORDS)),
                        defined=defined)


def word_role(label: str) -> str | None:
    """The dictionary role of a label or header key (`Peneliti (P)` → interviewer), None when unknown."""
    key = role_key(label)
    if key in _INTERVIEWER_FOLDED:
        return INTERVIEWER
    if key in _INFORMANT_FOLDED:
        return INFORMANT
    return None


_INTERVIEWER_FOLDED = frozenset(fold(x) for x in INTERVIEWER_WORDS)
_INFORMANT_FOLDED = frozenset(fold(x) for x in INFORMANT_WORDS)


def assign_roles(turns: list[tuple[str, str]], found: RoleEvidence) -> dict[str, str]:
    """Role per speaker, from (speaker, turn text) in order. Speakers are labels as written."""
    speakers = list(dict.fromkeys(speaker for speaker, _ in turns))
    if found.override:
        return {s: INTERVIEWER if _names(s) & found.override else INFORMANT for s in speakers}
    defined = dict(found.defined)
    known = {s: _known_role(s, defined, found.dictionary) for s in speakers}
    if any(role == INTERVIEWER for role in known.values()):
        return {s: known[s] or INFORMANT for s in speakers}
    # Single letters (`A`, `S`, `N`) are often initials of a name as well as informant markers: they may ask.
    askers = _askers(turns, {s for s, role in known.items() if role is None or len(role_key(s)) <= 2})
    return {s: INTERVIEWER if s in askers else INFORMANT for s in speakers}


def known_role(speaker: str, found: RoleEvidence) -> str | None:
    """A speaker's role from the manifest, the header or the dictionary alone (no inference), or None."""
    if found.override:
        return INTERVIEWER if _names(speaker) & found.override else INFORMANT
    return _known_role(speaker, dict(found.defined), found.dictionary)


def _names(speaker: str) -> set[str]:
    """`Peneliti (P)` answers to `peneliti (p)`, `peneliti` and `p`."""
    names = {fold(speaker), role_key(speaker)}
    if "(" in speaker and speaker.endswith(")"):
        head, _, abbr = speaker[:-1].partition("(")
        names |= {fold(head), fold(abbr)}
    return names


def _known_role(speaker: str, defined: dict[str, str], dictionary: frozenset[str]) -> str | None:
    names = _names(speaker)
    for name in names:
        if name in defined:
            return defined[name]
        for word_name, role in defined.items():  # a header name `Dewi Lestari` defines the label `Dewi`
            if len(name) > 2 and word_name.split()[0] == name:
                return role
    if names & dictionary:
        return INTERVIEWER
    roles = {word_role(name) for name in names} - {None}
    return roles.pop() if len(roles) == 1 else None


def is_question(text: str) -> bool:
    """A turn that asks: it ends in `?`, or opens with a question word or a prompt (`Ceritakan …`, `Coba …`)."""
    return text.rstrip(" .)]\"”").endswith("?") or text.lstrip().lower().startswith(PROMPT_WORDS)


def _askers(turns: list[tuple[str, str]], candidates: set[str]) -> set[str]:
    """The candidates whose turns are most often questions (at least 30%, and near the best share: two researchers
    `P1`, `P2` both ask); if that would be everyone, only the best, and who opens the interview breaks ties."""
    total = Counter(speaker for speaker, _ in turns)
    asked = Counter(speaker for speaker, text in turns if is_question(text))
    share = {s: asked[s] / total[s] for s in candidates if total[s]}
    if not share or max(share.values()) < _MIN_QUESTION_SHARE:
        return set()
    best = max(share.values())
    leaders = {s for s in share if share[s] >= max(_MIN_QUESTION_SHARE, best - _NEAR_BEST)}
    if len(leaders) < len(total):
        return leaders
    opener = next((s for s, _ in turns if s in leaders), None)
    top = {s for s in leaders if share[s] >= best - 0.1}
    return {opener} if opener in top else {max(top, key=lambda s: share[s])}
