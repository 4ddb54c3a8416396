"""Plain records passed between stages.

Offsets are Unicode character offsets into a source's normalised text (newlines are `\n`), end exclusive:
`source.text[unit.start:unit.end] == unit.text` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

METHODS = ("wawancara", "observasi", "dokumen")
# The informant/role vocabulary, in one place. Speaker roles within a transcript:
INTERVIEWER, INFORMANT = "interviewer", "informant"
# Labels that mark the interviewer (the configurable default), then the rest of the built-in dictionary: question
# markers and the researcher writing in the first person; labels that mark an informant.
INTERVIEWER_LABELS = ("P", "Peneliti", "Pewawancara", "Penanya", "Interviewer", "Moderator")
INTERVIEWER_WORDS = (*INTERVIEWER_LABELS, "Fasilitator", "IR", "Q", "T", "Tanya", "Pertanyaan", "Saya",
                     "Mahasiswa", "Penulis")
INFORMANT_WORDS = ("I", "Informan", "Narasumber", "Responden", "N", "R", "Subjek", "S", "IE", "J", "Jawab",
                   "Jawaban", "A", "Answer", "Peserta", "Partisipan", "Key Informan", "Informan Kunci")
# Informants' roles in the study (the configurable default of `[ingest] roles`).
STUDY_ROLES = ("kepala_sekolah", "guru", "pengawas", "komite", "siswa", "orang_tua", "lainnya")


@dataclass(frozen=True, slots=True)
class Span:
    """A marked stretch of the source text, e.g. a non-speech annotation such as `[tertawa]`."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One turn of a transcript or one paragraph of a note/document, as parsed from its file."""

    index: int  # 1-based position in the file: the NNN of the excerpt key
    start: int
    end: int
    text: str
    speaker: str | None = None  # the label as written; None for paragraphs
    is_interviewer: bool = False
    timestamp: str | None = None  # as written, e.g. "00:01:23"
    line: int | None = None  # 1-based line in the original file where the unit starts, when meaningful
    annotations: tuple[Span, ...] = ()
    role: str | None = None  # "interviewer" or "informant" for turns; None for paragraphs
    memo: str | None = None  # the analysis/coding column of a verbatim table: the researcher's note, never coded
    continued: bool = False  # the rest of the previous turn, after a page break or page number that is not content


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """The normalised plain text of one file and its units."""

    text: str
    units: tuple[Unit, ...]
    format: str  # txt, md, docx, vtt, srt, csv, xlsx
    kind: str  # "transcript" (speaker turns) or "paragraphs"
    warnings: tuple[str, ...] = ()
    convention: str = ""  # how turns were recognised, e.g. "colon-labels", "numbered-questions", "paragraphs"
    metadata: tuple[tuple[str, str], ...] = ()  # header block and front matter: (key, value) as written
    speakers: tuple[tuple[str, str], ...] = ()  # (speaker label, role) in order of first appearance
    dropped: tuple[tuple[int, str], ...] = ()  # (line, reason) of lines that are not content


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """One manifest row: which file, whose words, gathered how and when."""

    path: str  # absolute or manifest-relative path of the file
    method: str
    informant: str | None = None
    role: str | None = None
    site: str | None = None
    date: str | None = None
    name: str | None = None  # the informant's real name, kept only for pseudonymisation
    interviewer_labels: tuple[str, ...] = ()  # overrides the configured interviewer labels for this file
    manifest: str | None = None  # manifest file this row came from
    manifest_line: int | None = None
    round: str | None = None  # the data collection round (putaran), e.g. "1", "2"


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The unit of coding: an informant turn (or a window of a long one), or a note/document paragraph."""

    key: str  # "<file stem>:<NNN>" or "<file stem>:<NNN>.<w>" for windows of a long turn
    start: int
    end: int
    text: str
    unit: int
    window: int = 0  # 0 when the unit was not split
    speaker: str | None = None
    context: str | None = None  # the interviewer's preceding question, not coded
    annotations: tuple[Span, ...] = field(default=())
