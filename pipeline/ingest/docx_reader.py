"""Word documents: labelled paragraphs (like plain text), turn tables (speaker/words, or verbatim tables with line
numbers and a coding column), or plain paragraphs. A table of `Key | value` rows before the transcript is metadata."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pipeline.errors import EmptySource, IngestError
from pipeline.ingest.decode import normalise_text
from pipeline.ingest.labels import fold
from pipeline.ingest.noncontent import META_WORDS, scan
from pipeline.ingest.plaintext import parse_paragraphs, parse_transcript
from pipeline.ingest.roles import word_role
from pipeline.ingest.turns import LabelRules, TextBuilder
from pipeline.ingest.verbatim import rows_to_turns
from pipeline.records import ParsedSource

Block = tuple[str, object]  # ("p", text) or ("row", [cells])


def parse_docx(path: Path, rules: LabelRules, *, transcript: bool) -> ParsedSource:
    blocks = _blocks(path)
    if not any(str(text).strip() for kind, text in blocks if kind == "p") and not any(k == "row" for k, _ in blocks):
        raise EmptySource("the document has no text", file=path)
    metadata, blocks = _metadata_rows(blocks)
    rows = [list(cells) for kind, cells in blocks if kind == "row"]  # type: ignore[call-overload]
    turns = rows_to_turns([[normalise_text(c) for c in row] for row in rows]) if transcript and rows else None
    if turns:
        heads = [normalise_text(str(text)) for kind, text in blocks if kind == "p"]
        parsed = dataclasses.replace(_from_table(blocks, turns), metadata=scan(heads, transcript=True).metadata)
    else:
        paragraphs = [p for kind, text in blocks if kind == "p" and (p := normalise_text(str(text)).strip())]
        parsed = (parse_transcript("\n".join(paragraphs) + "\n", rules, path=str(path), fmt="docx") if transcript
                  else parse_paragraphs("\n\n".join(paragraphs) + "\n", fmt="docx"))
    return dataclasses.replace(parsed, metadata=(*metadata, *parsed.metadata))


def _blocks(path: Path) -> list[Block]:
    """Paragraphs ("p", text; headings prefixed '# ') and table rows ("row", cells), in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip/XML/KeyError variants for broken files
        raise IngestError(f"not a readable .docx document: {exc}", file=path) from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            # The raw style id: python-docx's `paragraph.style` resolves defaults and is very slow.
            style = (item._p.style or "").lower()
            heading = style.startswith(("heading", "title", "judul"))
            blocks.append(("p", ("# " if heading and not item.text.startswith("#") else "") + item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = _distinct_cells(row)
                if len(cells) >= 2:
                    blocks.append(("row", cells))
    return blocks


def _distinct_cells(row) -> list[str]:  # type: ignore[no-untyped-def]
    """A merged cell is repeated by python-docx for every grid column it spans: keep it once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell.text)
    return cells


def _metadata_rows(blocks: list[Block]) -> tuple[list[tuple[str, str]], list[Block]]:
    """A table of two-cell `Key | value` rows (`Informan`, `Hari/Tanggal`, …, at least one of them not a speaker
    word) is metadata, not turns."""
    metadata: list[tuple[str, str]] = []
    kept: list[Block] = []
    for run in _runs(blocks):
        cells = [list(content) for kind, content in run if kind == "row"]  # type: ignore[call-overload]
        keys = [fold(row[0]).rstrip(":").strip() for row in cells if len(row) == 2]
        if cells and len(keys) == len(cells) and all(_header_key(k) for k in keys) and \
                any(k.split(" ")[0] in META_WORDS for k in keys):
            metadata.extend((row[0].strip().rstrip(":"), row[1].strip().lstrip(":").strip()) for row in cells)
        else:
            kept.extend(run)
    return metadata, kept


def _runs(blocks: list[Block]) -> list[list[Block]]:
    """Blocks grouped: each paragraph alone, consecutive table rows together."""
    runs: list[list[Block]] = []
    for block in blocks:
        if block[0] == "row" and runs and runs[-1][-1][0] == "row":
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


def _header_key(key: str) -> bool:
    return bool(key) and (key.split(" ")[0] in META_WORDS or word_role(key.split(" ")[0]) is not None)


def _from_table(blocks: list[Block], turns: list[tuple[str, str, str | None]]) -> ParsedSource:
    builder = TextBuilder()
    pending = list(turns)
    for kind, content in blocks:
        if kind == "p":
            builder.add_heading(str(content).lstrip("# ").strip())
        while kind == "row" and pending:  # the turns take the place of the first table
            speaker, words, memo = pending.pop(0)
            builder.add(words, speaker=speaker, memo=memo)
    return ParsedSource(text=builder.text(), units=tuple(builder.units), format="docx", kind="transcript",
                        convention="verbatim-table")
