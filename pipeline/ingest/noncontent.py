"""What is not content: front matter, the header block, page numbers, running headers and footers, appendix titles.

Nothing here rewrites the text: it names the lines (1-based) that no unit may cover, with the reason, and collects
the header's `Key : value` pairs as source metadata. Header lines that define speakers (`Interviewer ( P) : Dewi`,
`Narasumber (N) : …`) also tell the role of that label and of that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

import yaml

from pipeline.ingest.labels import COLON, find_label, fold
from pipeline.ingest.roles import word_role

# First words of header keys (folded). Speaker words (Informan, Peneliti, …) count only in a header block.
META_WORDS = frozenset({
    "nama", "hari", "tanggal", "hari/tanggal", "waktu", "pukul", "jam", "tempat", "lokasi", "kode", "durasi",
    "judul", "topik", "tema", "fokus", "jabatan", "sekolah", "instansi", "usia", "umur", "pendidikan", "pekerjaan",
    "profesi", "alamat", "media", "transkriptor", "jenis", "status", "kelas", "lama", "agama", "suku", "latar",
    "tgl", "wawancara", "transkrip", "observasi", "kegiatan", "informan id", "id",
})
_HEADER = re.compile(r"^[ \t]*(?:\*\*|__)?(?P<key>[^\W\d_][\w /.,&-]{0,30}?(?:[ \t]*\([^()\n]{1,15}\))?)"
                     r"[ \t]*(?:\*\*|__)?[ \t]*[:=][ \t]*(?:\*\*|__)?[ \t]*(?P<value>.*?)[ \t]*$")
_ABBR = re.compile(r"\([ \t]*([^()\n]{1,15}?)[ \t]*\)")
_PAGE = re.compile(r"^[ \t]*(?:[-–—][ \t]*)?(?:(?:hal(?:aman)?|hlm|page)\.?[ \t]*)?\d{1,4}"
                   r"(?:[ \t]*(?:dari|of|/)[ \t]*\d{1,4})?(?:[ \t]*[-–—])?[ \t]*$", re.IGNORECASE)
_APPENDIX = re.compile(r"^[ \t]*(?:#+[ \t]*)?lampiran\b(?![ \t]*:[ \t]*-?[ \t]*$)", re.IGNORECASE)
_TIME_ONLY = re.compile(r"^[ \t]*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
                        r"(?:[ \t]*(?:-->|[-–])[ \t]*\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)?[\])]?[ \t]*$")
_LEGEND = re.compile(r"^[ \t]*(?:keterangan|ket\.?|catatan|kode)[ \t]*:?[ \t]*(?P<pairs>.*=.*)$", re.IGNORECASE)
_LEGEND_PAIR = re.compile(r"([^\W_][\w.]{0,10})[ \t]*=[ \t]*([^\W\d_][\w ]{1,30}?)[ \t]*(?=[;,]|$)")
_MAX_HEADER_WORDS = 14
_MAX_RUNNING = 100  # running headers and footers are short lines
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class NonContent:
    metadata: tuple[tuple[str, str], ...] = ()
    dropped: dict[int, str] = field(default_factory=dict)  # line -> reason
    defined: tuple[tuple[str, str], ...] = ()  # (folded label or name, role) from header definitions


def scan(lines: list[str], *, transcript: bool, keys: frozenset[str] = frozenset()) -> NonContent:
    """Lines that are not content, and the metadata they hold. Paragraph files only lose front matter,
    their header block and page numbers; transcripts also lose running headers/footers and appendix titles.
    `keys`: more header keys (folded), from `[ingest] header_keys`."""
    dropped: dict[int, str] = {}
    metadata = _front_matter(lines, dropped)
    header, defined = _header_block(lines, dropped, META_WORDS | keys)
    defined += _legends(lines, dropped)
    for number, line in enumerate(lines, start=1):
        if number not in dropped and _PAGE.match(line) and line.strip():
            dropped[number] = "page number"
        elif number not in dropped and transcript and _TIME_ONLY.match(line):
            dropped[number] = "timestamp"
    if transcript:
        _running_lines(lines, dropped)
        for number, line in enumerate(lines, start=1):
            if number not in dropped and _APPENDIX.match(line) and len(line.split()) <= 15 and "?" not in line:
                dropped[number] = "appendix title"
    return NonContent((*metadata, *header), dropped, tuple(defined))


def _front_matter(lines: list[str], dropped: dict[int, str]) -> list[tuple[str, str]]:
    if not lines or lines[0].strip() != "---":
        return []
    end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return []
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict):
        return []
    for number in range(1, end + 2):
        dropped[number] = "front matter"
    return [(str(k), "" if v is None else str(v)) for k, v in data.items()]


def _header_block(lines: list[str], dropped: dict[int, str], keys: frozenset[str]
                  ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """`Key : value` lines near the top (after at most a few title lines), up to the first other line.

    A speaker word as key (`Informan : Bu Sari`) counts beside a metadata key or a definition `(X)`, or when that
    label opens no other line of the file: `Informan: Iya, betul` among other `Informan:` lines is a turn."""
    found: list[tuple[int, str, str, str]] = []
    titles = 0
    for number, line in enumerate(lines, start=1):
        if number in dropped or not line.strip() or line.lstrip().startswith("#"):
            continue
        pair = _header_pair(line, keys)
        if pair is None:
            titles += 1
            if found or titles > 3 or COLON.match(line) or line.rstrip().endswith("?"):
                break
            continue
        found.append((number, *pair))
    if not any(kind != "speaker" for *_, kind in found) and not _used_once(lines, [key for _, key, _, _ in found]):
        return [], []
    found = [item for item in found if item[3] != "speaker" or len(fold(item[1])) > 2]
    for number, *_ in found:
        dropped[number] = "header"
    pairs = [(key, value) for _, key, value, _ in found]
    return pairs, _definitions(pairs)


def _legends(lines: list[str], dropped: dict[int, str]) -> list[tuple[str, str]]:
    """`Keterangan: P = Peneliti; I1 = Informan 1` anywhere in the file: the labels it defines, the line dropped."""
    defined: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = _LEGEND.match(line)
        pairs = _LEGEND_PAIR.findall(match.group("pairs")) if match else []
        roles = [(fold(label), role) for label, word in pairs if (role := word_role(word.split()[0]))]
        if roles:
            defined.extend(roles)
            dropped[number] = "legend"
    return defined


def _used_once(lines: list[str], keys: list[str]) -> bool:
    """Each key opens exactly one line of the file (its own)."""
    if not keys:
        return False
    opened = [fold(hit.label) for line in lines if (hit := find_label(line)) and hit.style == "colon"]
    return all(opened.count(fold(key)) == 1 for key in keys)


def _header_pair(line: str, keys: frozenset[str]) -> tuple[str, str, str] | None:
    """(key, value, kind): kind "meta" (Hari/Tanggal), "definition" (Narasumber (N)) or "speaker" (Informan)."""
    match = _HEADER.match(line)
    if not match:
        return None
    key, value = match.group("key").strip(), match.group("value")
    head = fold(key.split("(")[0])
    if not head or len(value.split()) > _MAX_HEADER_WORDS or value.endswith("?"):
        return None
    if re.split(r"[ /]", head)[0] in keys or head in keys:  # `Hari/Tanggal`, `Tempat/Waktu`
        return key, value, "meta"
    if word_role(head) and _ABBR.search(key):
        return key, value, "definition"
    if word_role(head) and _name_like(value):
        return key, value, "speaker"
    return None


def _name_like(value: str) -> bool:
    """`Bu Sari`, `Drs. Wahyu, M.Pd.`, `Ibu Dewi Kartika, S.Pd (Guru Kelas IV)`: short, capitalised, not a
    sentence (a position in brackets after the name does not count)."""
    name = value.split("(")[0].strip()
    words = name.split()
    return 0 < len(words) <= 6 and name[:1].isupper() and not name.endswith(("?", "!")) and \
        (not name.endswith(".") or "." in words[-1][:-1])


def _definitions(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`Interviewer ( P) : Dewi` → p and dewi are the interviewer; `Narasumber (N) : Bu Sari` → n is an informant;
    `Nama Informan : Bu Sari` → sari is an informant."""
    defined: list[tuple[str, str]] = []
    for key, value in found:
        roles = [role for word in fold(key.split("(")[0]).split() if (role := word_role(word))]
        if not roles:
            continue
        abbr = _ABBR.search(key)
        if abbr:
            defined.append((fold(abbr.group(1)), roles[0]))
        name = value.split(",")[0].strip()
        if name and _name_like(name):
            defined.append((fold(name), roles[0]))
            defined.extend((fold(word), roles[0]) for word in name.split() if len(word) > 3 and word[0].isupper())
    return defined


def _running_lines(lines: list[str], dropped: dict[int, str]) -> None:
    """A short line repeated three or more times (digits aside) is a running header or footer when it sits at page
    edges (beside a page number, or at the start or end of the file) or carries increasing page numbers itself.
    Repeated speaker lines (`IBU SARI`, `Speaker 1 (00:03)`) are neither."""
    shapes: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        if len(line) <= _MAX_RUNNING and number not in dropped and line.strip() and not _speaker_line(line):
            shapes.setdefault(_DIGITS.sub("#", " ".join(line.split())), []).append(number)
    pages = {n for n, reason in dropped.items() if reason == "page number"}
    edges = pages | {1, len(lines)} | {len(lines) - 1}
    for shape, numbers in shapes.items():
        if len(numbers) < 3 or shape.endswith((".", "?", "!", ",", ":")):
            continue
        at_edges = sum(1 for n in numbers if any(abs(n - e) <= 2 for e in edges))
        paged = [tuple(map(int, _DIGITS.findall(lines[n - 1]))) for n in numbers]
        if 2 * at_edges >= len(numbers) or ("#" in shape and all(a < b for a, b in pairwise(paged))):
            for number in numbers:
                dropped[number] = "running header/footer"


def _speaker_line(line: str) -> bool:
    """A label with a timestamp, or a label with a few words of speech (`P: Iya.`): a turn, however often repeated."""
    hit = find_label(line)
    return hit is not None and (hit.timestamp is not None or
                                (hit.style == "colon" and 0 < len(line[hit.body:].split()) <= 3))
