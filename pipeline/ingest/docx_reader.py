"""Word documents: labelled paragraphs (like plain text), two-column turn tables, or plain paragraphs."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import IngestError
from pipeline.ingest.decode import normalise_text
from pipeline.ingest.plaintext import parse_paragraphs, parse_transcript
from pipeline.ingest.turns import LabelRules, TextBuilder
from pipeline.records import ParsedSource

_HEADER_WORDS = {"speaker", "pembicara", "penutur", "nama", "text", "teks", "ucapan", "transkrip"}


def parse_docx(path: Path, rules: LabelRules, *, transcript: bool) -> ParsedSource:
    blocks = _blocks(path)
    if not any(text.strip() for kind, text in blocks if kind == "p") and not any(k == "row" for k, _ in blocks):
        from pipeline.errors import EmptySource

        raise EmptySource("the document has no text", file=path)
    rows = [cells for kind, cells in blocks if kind == "row"]
    if transcript and rows:
        return _from_table(blocks, rules)
    paragraphs = [normalise_text(text).strip() for kind, text in blocks if kind == "p"]
    paragraphs = [p for p in paragraphs if p]
    if transcript:
        return parse_transcript("\n".join(paragraphs) + "\n", rules, path=str(path), fmt="docx")
    return parse_paragraphs("\n\n".join(paragraphs) + "\n", fmt="docx")


def _blocks(path: Path) -> list[tuple[str, object]]:
    """Paragraphs ("p", text, headings prefixed '# ') and two-column table rows ("row", (a, b)), in order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip/XML/KeyError variants for broken files
        raise IngestError(f"not a readable .docx document: {exc}", file=path) from None
    blocks: list[tuple[str, object]] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            # The raw style id: python-docx's `paragraph.style` resolves defaults and is very slow.
            style = (item._p.style or "").lower()
            heading = style.startswith(("heading", "title", "judul"))
            blocks.append(("p", ("# " if heading and not item.text.startswith("#") else "") + item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [cell.text for cell in row.cells]
                if len(cells) >= 2:
                    blocks.append(("row", (cells[0], cells[-1])))
    return blocks


def _from_table(blocks: list[tuple[str, object]], rules: LabelRules) -> ParsedSource:
    builder = TextBuilder()
    for kind, content in blocks:
        if kind == "p":
            builder.add_heading(str(content).lstrip("# ").strip())
            continue
        speaker, body = (normalise_text(x).strip() for x in content)  # type: ignore[union-attr]
        if speaker.rstrip(":").lower() in _HEADER_WORDS:
            continue
        speaker = speaker.rstrip(":").strip()
        builder.add(body, speaker=speaker or "?", is_interviewer=rules.is_interviewer(speaker))
    return ParsedSource(text=builder.text(), units=tuple(builder.units), format="docx", kind="transcript")
