"""Transcript annotations: non-speech notes such as `[tertawa]`, `(jeda)`, `[tidak jelas]`; `[00:12]` is not one.

The one pattern every stage uses: ingest marks the spans, the tokenizer keeps each as one non-lexical token, the
suggester's features leave them out.
"""

from __future__ import annotations

import re

from pipeline.records import Span

# Square brackets hold transcriber notes unless they hold a time; round brackets only for known notes,
# because speakers' asides in parentheses are speech.
ROUND_NOTES = ("jeda", "tertawa", "diam", "batuk", "hening", "tidak jelas", "tak terdengar", "suara tidak jelas",
               "inaudible", "crosstalk", "menghela napas", "terbata", "suara", "berpikir", "senyum", "tersenyum",
               "menangis", "laughs", "laugh", "pause")
ANNOTATION = re.compile(
    r"\[(?!\s*\d{1,2}[:.]\d{2})[^\[\]\n]{1,60}\]"
    r"|\((?:" + "|".join(re.escape(n) for n in ROUND_NOTES) + r")[^()\n]{0,30}\)",
    re.IGNORECASE,
)


def find_annotations(text: str, offset: int = 0) -> tuple[Span, ...]:
    """Annotation spans in `text`, shifted by `offset` (the text's start in its source)."""
    return tuple(Span(offset + m.start(), offset + m.end(), m.group()[1:-1].strip().lower())
                 for m in ANNOTATION.finditer(text))
