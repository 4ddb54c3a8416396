"""Find the names of people (and optionally schools and places) in transcript text.

Three rules, each a plain function over text:
- an honorific (Bu, Ibu, Pak, Bapak, Mas, Mbak, Kak, Dik, Si, Kang, Teh, ...) followed by capitalised words, after
  skipping role words and titles ("Bu Kepala Sekolah" names no one; "Bu Guru Sinta" names Sinta; "Pak Haji Oman"
  names Oman); degrees ("S.Pd.") end the name;
- a capitalised word in the shipped list of Indonesian name words (`name_list`) that, mid-sentence, is not an
  ordinary word (a root, a known word form, a stop word) or is never written in lower case anywhere in the corpus;
  at the start of a sentence, where a capital proves nothing, it must be neither;
- schools ("SDN Mekarjaya 1", "SD Negeri Cikaret") and places after a place word ("Desa Sukamaju", "Kampung
  Babakan", "Kecamatan Cisarua").
Names of informants from the manifest are found by `pipeline.export.privacy` and are left out here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

HONORIFICS = frozenset((
    "bu", "ibu", "pak", "bapak", "bpk", "pa", "mas", "mbak", "mba", "kak", "kakak", "dik", "adik", "dek", "de", "si",
    "kang", "akang", "teh", "teteh", "neng", "ceu", "bang", "abang", "uda", "uni", "cak", "ning", "jeng", "mpok",
    "ustaz", "ustadz", "ustazah", "ustadzah", "om", "tante", "eyang", "mbah", "nenek", "kakek", "nek", "kek", "oma",
    "opa", "sdr", "sdri", "saudara", "saudari", "nak", "ananda", "bli", "mbok", "aa", "ko", "koh", "cik", "ci",
    "encik", "wak", "pakde", "bude", "bulik", "paklik", "nyai", "kyai", "kiai", "gus"))
# Words after which a capitalised word is a name, as after an honorific ("anak yang namanya Keanu").
NAME_CUES = frozenset(("namanya", "bernama", "panggilannya"))
# Words that may stand between an honorific and a name, or instead of one: roles and titles.
ROLE_WORDS = frozenset((
    "guru", "kepala", "kepsek", "sekolah", "pengawas", "penilik", "operator", "bendahara", "ketua", "wakil", "wali",
    "kelas", "komite", "dinas", "camat", "lurah", "kades", "bupati", "dokter", "dr", "drs", "dra", "bidan", "mantri",
    "haji", "hajjah", "hajah", "hj", "h", "ir", "prof", "ustaz", "ustadz", "rt", "rw", "ketua", "sekretaris", "kabid",
    "kasi", "korwil", "direktur", "dosen", "satpam", "penjaga", "tu", "admin", "pembina", "pelatih", "wakasek",
    "pns", "honorer", "ppk", "ppl", "mahasiswa", "peneliti", "pendamping", "fasilitator", "narasumber", "kadis",
    "kapten", "letnan", "mayor", "kolonel", "kompol", "aiptu", "bripka", "raden", "rd", "tubagus", "tb", "teungku"))
# Capitalised words that are not names, though a name list may hold them (days, months, subjects, institutions).
NOT_NAMES = frozenset((
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad", "januari", "februari",
    "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember", "allah",
    "tuhan", "indonesia", "inggris", "arab", "jawa", "sunda", "melayu", "bahasa", "matematika", "ipa", "ips", "pkn",
    "pancasila", "merdeka", "kurikulum", "islam", "kristen", "katolik", "hindu", "buddha", "ramadan", "ramadhan",
    "lebaran", "idulfitri", "natal", "nusantara", "garuda", "kartini", "pahlawan", "proklamasi", "republik",
    "negeri", "swasta", "terpadu", "unggulan", "teladan", "pertiwi", "bhakti", "bakti", "mulia", "harapan",
    "cendekia", "insan", "lesson", "study", "google", "whatsapp", "zoom", "youtube", "canva", "excel", "word",
    "powerpoint", "ok", "oke", "iya", "ya", "nah", "eh", "hm", "hmm", "loh", "lho", "wah", "duh", "astaga",
    "alhamdulillah", "insyaallah", "masyaallah", "subhanallah", "bismillah", "assalamualaikum", "waalaikumsalam"))
SCHOOL_WORDS = ("SDN", "SDIT", "SD", "SMPN", "SMP", "SMAN", "SMA", "SMKN", "SMK", "MIN", "MI", "MTsN", "MTs", "MAN",
                "TK", "PAUD", "KB", "RA")
PLACE_WORDS = ("Desa", "Kampung", "Kp.", "Dusun", "Kelurahan", "Kecamatan", "Kec.", "Kabupaten", "Kab.", "Kota",
               "Jalan", "Jl.", "Gang", "Gg.", "Perumahan", "Blok", "Pasar", "Gunung", "Sungai", "Kali", "Pantai")
KINDS = ("person", "school", "place")
ABBREVIATIONS = frozenset(("bpk", "sdr", "sdri", "drs", "dra", "dr", "hj", "h", "ir", "prof", "ny", "tn", "kp", "kec",
                           "kab", "jl", "gg", "rd", "tb"))

_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-(?!(?:nya|lah|kah|pun|ku|mu)\b)[^\W\d_][\w'’]*)*")
_CAPITALISED = re.compile(r"^[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]*)*$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”…\n(\[]|\s-\s)\s*$")
_SCHOOL = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in SCHOOL_WORDS) + r")(?:\s+Negeri)?"
                     r"(?P<rest>(?:\s+(?:[A-Z][a-z]+|\d{1,3}))+)")
_PLACE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in PLACE_WORDS) + r")"
                    r"(?P<rest>(?:\s+[A-Z][a-z]+)+)")


@dataclass(frozen=True)
class Mention:
    """A name in a text: its characters, what kind of name, and the rule that found it."""

    start: int
    end: int
    text: str
    kind: str  # person, school, place
    rule: str  # honorific, list, school, place


@dataclass(frozen=True)
class Lexicon:
    """What tells a name from an ordinary word: ordinary words, the name list, and lower-case forms seen."""

    ordinary: frozenset[str]
    is_listed_name: Callable[[str], bool]
    seen_lower: frozenset[str] = frozenset()
    # A capitalised word that is no Indonesian word (nor an affixed or spoken form of one: `is_word`) and never
    # written in lower case reads as a name even when no list has it: the lists cannot hold every Sundanese or
    # Javanese name. Off, only listed words count.
    unlisted: bool = False
    is_word: Callable[[str], bool] = lambda word: False


def find_mentions(text: str, lexicon: Lexicon, places: bool = False) -> list[Mention]:
    """Every name mention in `text`, left to right, not overlapping (a longer, earlier mention wins)."""
    found = honorific_mentions(text) + listed_mentions(text, lexicon)
    if places:
        found += place_mentions(text)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def honorific_mentions(text: str) -> list[Mention]:
    """Capitalised words after an honorific (and any role words or titles after it)."""
    words = list(_WORD.finditer(text))
    mentions = []
    for i, word in enumerate(words):
        opens = word.group().casefold() in HONORIFICS | NAME_CUES
        if not opens or (i + 1 < len(words) and not _close(text, word, words[i + 1])):
            continue
        j = i + 1
        while j < len(words) and _close(text, words[j - 1], words[j]) and _is_role(words[j].group()):
            j += 1
        name = _name_run(text, words, j, lambda w: _CAPITALISED.match(w) is not None and not _is_role(w)
                         and w.casefold() not in NOT_NAMES and w.casefold() not in HONORIFICS)
        if name:
            mentions.append(Mention(name[0], name[1], text[name[0]:name[1]], "person", "honorific"))
    return mentions


def listed_mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    """Capitalised words from the name list that are not ordinary words (runs of them are one name)."""
    words = list(_WORD.finditer(text))
    mentions, i = [], 0
    while i < len(words):
        if not _listed(text, words[i], lexicon) or _inside_title(text, words, i, lexicon):
            i += 1
            continue
        j = i + 1
        while j < len(words) and _close(text, words[j - 1], words[j]) and _listed(text, words[j], lexicon, True):
            j += 1
        start, end = words[i].start(), words[j - 1].end()
        mentions.append(Mention(start, end, text[start:end], "person", "list"))
        i = j
    return mentions


def place_mentions(text: str) -> list[Mention]:
    """Schools ("SDN Mekarjaya 1") and places after a place word ("Desa Sukamaju")."""
    mentions = [Mention(m.start(), m.end(), m.group(), "school", "school") for m in _SCHOOL.finditer(text)]
    for match in _PLACE.finditer(text):
        rest = match.group("rest")
        if rest.split()[0].casefold() not in NOT_NAMES and not _is_role(rest.split()[0]):
            mentions.append(Mention(match.start(), match.end(), match.group(), "place", "place"))
    return mentions


def _listed(text: str, word: re.Match[str], lexicon: Lexicon, inside: bool = False) -> bool:
    value = word.group()
    lowered = value.casefold()
    if not _CAPITALISED.match(value) or lowered in NOT_NAMES or lowered in HONORIFICS or _is_role(value):
        return False
    ordinary, seen_lower = lowered in lexicon.ordinary, lowered in lexicon.seen_lower
    starts_sentence = _SENTENCE_END.search(text[max(0, word.start() - 40):word.start()]) is not None
    if not lexicon.is_listed_name(value):
        return (lexicon.unlisted and not ordinary and not seen_lower and "-" not in value
                and not lexicon.is_word(value))
    if starts_sentence and not inside:  # a capital that proves nothing: the word must look like a name only
        return not ordinary and not seen_lower
    return not ordinary or not seen_lower


def _inside_title(text: str, words: list[re.Match[str]], i: int, lexicon: Lexicon) -> bool:
    """The word continues a capitalised phrase of ordinary words mid-sentence ("Peserta Didik", "Masjid Agung")."""
    if i == 0 or not _close(text, words[i - 1], words[i]):
        return False
    before = words[i - 1]
    lowered = before.group().casefold()
    if not _CAPITALISED.match(before.group()) or lowered in HONORIFICS or lowered in NAME_CUES:
        return False
    starts_sentence = _SENTENCE_END.search(text[max(0, before.start() - 40):before.start()]) is not None
    return lowered in NOT_NAMES or (lowered in lexicon.ordinary and not starts_sentence)


def _name_run(text: str, words: list[re.Match[str]], j: int, is_part: Callable[[str], bool]) -> tuple[int, int] | None:
    """The span of up to three name words from words[j] on, or None."""
    end = j
    while end < len(words) and end - j < 3 and is_part(words[end].group()) \
            and (end == 0 or _close(text, words[end - 1], words[end])):
        end += 1
    return (words[j].start(), words[end - 1].end()) if end > j else None


def _close(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two words separated by spaces only (or an abbreviation's dot), not by punctuation or a line break."""
    between = text[left.end():right.start()]
    if between.strip(" ") == ".":
        return left.group().casefold() in ABBREVIATIONS and len(between) <= 3
    return between.strip(" ") == "" and len(between) <= 2


def _is_role(word: str) -> bool:
    return word.casefold().rstrip(".") in ROLE_WORDS


def seen_in_lower_case(texts: Iterable[str]) -> frozenset[str]:
    """Every word written in lower case somewhere in `texts` (a name seldom is)."""
    return frozenset(w for text in texts for w in re.findall(r"(?<![\w'’-])[a-z][a-z'’]+", text))


@dataclass(frozen=True)
class DetectedName:
    """A detected name across a corpus: how it was written, its kind, how often and where."""

    name: str
    kind: str
    count: int
    sources: tuple[str, ...]
    rules: tuple[str, ...]


def detect_names(texts: Mapping[str, str], lexicon: Lexicon, *, places: bool = False,
                 skip: Callable[[str], bool] = lambda name: False) -> list[DetectedName]:
    """Names found in `texts` (source -> text), with counts of every capitalised occurrence (a name found once is
    replaced everywhere); `skip(name)` leaves out names known elsewhere (informants) or marked as not a name."""
    found: dict[str, tuple[str, set[str]]] = {}
    for source, text in texts.items():
        for mention in find_mentions(text, lexicon, places):
            name = re.sub(r"\s+", " ", mention.text)
            if skip(name):
                continue
            kind, rules = found.setdefault(name, (mention.kind, set()))
            rules.add(mention.rule)
    counts: dict[str, dict[str, int]] = {name: {} for name in found}
    if found:
        pattern = occurrence_pattern(list(found))
        by_form = {re.sub(r"\s+", " ", form): name for name in found for form in (name, name.upper())}
        for source, text in texts.items():  # one pass per text, longest name first (as replacement works)
            for match in pattern.finditer(text):
                name = by_form[re.sub(r"\s+", " ", match.group())]
                counts[name][source] = counts[name].get(source, 0) + 1
    detected = [DetectedName(name, kind, sum(counts[name].values()), tuple(sorted(counts[name])),
                             tuple(sorted(rules))) for name, (kind, rules) in found.items()]
    return sorted(detected, key=lambda d: (KINDS.index(d.kind), -d.count, d.name))


def occurrence_pattern(names: list[str]) -> re.Pattern[str]:
    """Any of the names as written or in capitals, as a whole word (any whitespace between its words)."""
    forms = {form for name in names for form in (name, name.upper())}
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split(" ")) for form in sorted(forms, key=len,
                                                                                           reverse=True))
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])")
