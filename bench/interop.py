"""REFI-QDA round trips: export -> import into a fresh project -> export again, and an NVivo-style file.

1. Round trip through reduksi itself, on the demo corpus (corpora/gugus3) with verified labels (reviewer `gold`,
   two thirds of the gold file), a second reviewer (`rina`, a day later: changes some of gold's labels, accepts
   and rejects suggestions with notes, leaves review notes), two triangulation verdicts and the codebook's
   suggestions. Counted at each step (project A, its export, project B made from the export alone, B's export):
   verified (excerpt, code) pairs by reviewer, "no code" verifications, rejections, review notes, verdicts,
   codes, codings in the file, and exact spans (a selection whose text equals its excerpt's, or after import a
   coding range that lands exactly on an excerpt of B). Exported with real names (a researcher moving their own
   project), then pseudonymised (the default) to show what pseudonyms do to re-ingested speaker labels.
2. NVivo-style: the corpus with emoji added to its text files (characters outside the Basic Multilingual Plane),
   exported, every position rewritten as UTF-16 code units (and, as a second variant, UTF-8 bytes), imported into
   a fresh project: exact spans after import, against reading the positions as code points (the drift NVivo
   users saw).
3. Independent readers open our export: a plain reading of the standard (zipfile + ElementTree, `sources/`), and
   `qdpxlib` from PyPI when importable (`pip install qdpxlib`; it reads positions as byte offsets).

    python bench/interop.py [--out /tmp/reduksi-bench-interop]
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.app.export import export_project  # noqa: E402
from pipeline.app.imports import import_qdpx  # noqa: E402
from pipeline.app.project import open_project  # noqa: E402
from pipeline.decision_log import Decision, cancelled_ids  # noqa: E402
from pipeline.export.offsets import Chain, align  # noqa: E402
from pipeline.export.positions import candidates  # noqa: E402
from pipeline.export.qdpx_import import source_offsets  # noqa: E402
from pipeline.export.qdpx_read import read_qdpx  # noqa: E402
from pipeline.export.refi import is_machine  # noqa: E402
from pipeline.store import decisions  # noqa: E402
from pipeline.store.excerpts import excerpts_frame  # noqa: E402
from pipeline.store.triangulation import current_status  # noqa: E402

CORPUS = REPO / "corpora" / "gugus3"
NS = {"q": "urn:QDA-XML:project:1.0"}
EMOJI = ("🙏", "😊", "👍🏽", "😅", "🤣", "📚")


def build(folder: Path, corpus: Path) -> Path:
    """The demo project: gold for two thirds, suggestions, two verdicts, and a second reviewer."""
    from tests.conftest import DEMO
    from tests.export_fixtures import build_demo  # the test suite's demo builder, on our corpus copy

    folder.mkdir(parents=True, exist_ok=True)
    if corpus == DEMO:
        project = build_demo(folder, load())
    else:
        import tests.export_fixtures as fixtures

        original = fixtures.DEMO
        fixtures.DEMO = corpus
        try:
            project = build_demo(folder, load())
        finally:
            fixtures.DEMO = original
    second_reviewer(project)
    return project


def load():  # type: ignore[no-untyped-def]
    from pipeline.config import load_config

    return load_config()


def second_reviewer(project: Path) -> None:
    """`rina`, a day after `gold`: 20 changes of gold's labels, 5 accepts and 10 rejections (with a note) of
    suggestions, 10 review notes."""
    with open_project(project) as opened:
        store = opened.store
        state = decisions.label_state(store)
        verified = sorted(e for e, codes in state.labels.items() if codes)
        suggested = excerpts_frame(store)["excerpt_id"].astype(int).tolist()
        from pipeline.store.suggestions import load_suggestions

        top = load_suggestions(store).drop_duplicates("excerpt_id").set_index("excerpt_id")["code"]
        open_ = [e for e in suggested if e not in state.labels and e in top.index]
        day = datetime.now(timezone.utc) + timedelta(days=1)
        when = iter((day + timedelta(seconds=i)).isoformat(timespec="seconds") for i in range(1000))
        batch = [Decision(e, "rina", "change", (sorted(state.labels[e])[0],), created_at=next(when))
                 for e in verified[::12][:20]]
        batch += [Decision(e, "rina", "accept", (top[e],), created_at=next(when)) for e in open_[:5]]
        batch += [Decision(e, "rina", "reject", (top[e],), note="Tidak sesuai konteks wawancara.",
                           created_at=next(when)) for e in open_[5:15]]
        batch += [Decision(e, "rina", "note", note=f"Cek lagi dengan catatan lapangan ({i}).", created_at=next(when))
                  for i, e in enumerate(verified[5::20][:10])]
        with store.transaction():
            decisions.append(store, batch, known_codes=opened.codebook.ids)


def project_counts(project: Path) -> dict[str, object]:
    with open_project(project) as opened:
        store = opened.store
        log = decisions.history(store)
        state = decisions.replay(log)
        cancelled = cancelled_ids(log)
        return {"verified_by_reviewer": {r: sum(len(c) for c in own.values()) for r, own in
                                         sorted(state.by_reviewer.items())},
                "no_code": sum(1 for own in state.by_reviewer.values() for c in own.values() if not c),
                "verified_excerpts": len(state.labels),
                "rejections": sum(d.action == "reject" and d.id not in cancelled for d in log),
                "review_notes": sum(d.action == "note" and d.id not in cancelled for d in log),
                "verdicts": len(current_status(store)), "codes": len(opened.codebook.codes),
                "codebook": opened.codebook.version}


def file_counts(qdpx: Path, texts_by_key: dict[str, str] | None = None) -> dict[str, object]:
    """A plain reading of the standard (no reduksi code): codings per user, notes, codes, sources; and exact
    spans when the exporting project's excerpt texts are given."""
    with zipfile.ZipFile(qdpx) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = {n.split("/", 1)[1].removesuffix(".txt"): archive.read(n).decode("utf-8")
                 for n in archive.namelist() if n.startswith("sources/")}
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    by_user: dict[str, int] = {}
    exact = selections = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = texts[source.get("guid")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            name = users[selection.get("creatingUser")]
            key = "machine" if is_machine(name) else name
            by_user[key] = by_user.get(key, 0) + len(selection.findall("q:Coding", NS))
            if texts_by_key is not None and not is_machine(name):
                selections += 1
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                exact += text[start:end] == texts_by_key.get(selection.get("name"))
    codes = [c for c in root.iter(f"{{{NS['q']}}}Code") if c.get("isCodable") == "true"]
    return {"codings_by_user": dict(sorted(by_user.items())), "notes": len(root.findall("q:Notes/q:Note", NS)),
            "codes": len(codes), "sources": len(texts), "exact_spans": f"{exact}/{selections}"}


def excerpt_texts(project: Path) -> dict[str, str]:
    with open_project(project) as opened:
        frame = excerpts_frame(opened.store)
    return dict(zip(frame["key"], frame["text"]))


def exact_after_import(qdpx: Path, project: Path, naive: bool = False) -> tuple[int, int, list[int]]:
    """Reviewer coding ranges of the file that land exactly on an excerpt of `project` (naive: positions read as
    code points, whatever the file), and each range's start drift in characters."""
    read = read_qdpx(qdpx)
    with open_project(project) as opened:
        frame = excerpts_frame(opened.store)
        texts = dict(zip(frame["source"], frame["text"]))  # only to find the sources
        from pipeline.store.sources import current_sources_frame

        full = current_sources_frame(opened.store)
    full_texts = dict(zip(full["name"], full["text"]))
    exact = total = 0
    drift: list[int] = []
    for source in read.sources:
        if source.name not in texts:
            continue
        spans = set(zip(frame[frame["source"] == source.name]["start"], frame[frame["source"] == source.name]["end"]))
        chain, _, _ = source_offsets(source, full_texts[source.name])
        if naive:
            _, _, normalised, reading = candidates(source.text)[0]
            chain = Chain((*reading.maps, align(normalised, full_texts[source.name])))
        right, _, _ = source_offsets(source, full_texts[source.name])
        for coding in {(c.start, c.end) for c in source.codings if not is_machine(read.users.get(c.user or "", ""))}:
            mapped = chain.span(*coding)
            total += 1
            exact += mapped in spans
            drift.append(abs(mapped[0] - right.span(*coding)[0]))
    return exact, total, drift


def roundtrip(out: Path, project: Path, real_names: bool) -> dict[str, object]:
    label = "real" if real_names else "pseudonymised"
    first, second, fresh = out / f"{label}-A", out / f"{label}-B-export", out / f"{label}-B"
    with open_project(project) as opened:
        export_project(opened, first, ("qdpx",), real_names=real_names)
    with open_project(fresh, create=True) as opened:
        report = import_qdpx(opened, first / "reduksi.qdpx")
        export_project(opened, second, ("qdpx",), real_names=real_names)
    exact, total, _ = exact_after_import(first / "reduksi.qdpx", fresh)
    texts = excerpt_texts(project) if real_names else None  # pseudonymised texts differ from the project's
    return {"A": project_counts(project), "A.qdpx": file_counts(first / "reduksi.qdpx", texts),
            "B": project_counts(fresh), "B.qdpx": file_counts(second / "reduksi.qdpx", excerpt_texts(fresh)),
            "import": {"exact_spans": f"{exact}/{total}", "sources_added": len(report.sources_added),
                       "decisions": report.decisions, "verdicts": report.verdicts, "notes_placed":
                       f"{report.notes_placed}/{report.notes}", "warnings": report.warnings()}}


def emoji_corpus(folder: Path) -> Path:
    """corpora/gugus3 with emoji in every other line of its text files (outside the Basic Multilingual Plane)."""
    target = folder / "gugus3-emoji"
    shutil.copytree(CORPUS, target)
    for path in sorted((target / "sumber").glob("*")):
        if path.suffix not in (".txt", ".md"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(f"{line} {EMOJI[i % len(EMOJI)]}" if line.strip() and i % 2 == 0 else
                                  line.replace(", ", f" {EMOJI[i % 3]}, ", 1) for i, line in enumerate(lines))
                        + "\n", encoding="utf-8")
    return target


def nvivo_variant(out: Path) -> dict[str, object]:
    from tests.test_interop_utf16 import rewrite_positions  # as NVivo (utf16) or a byte-counting tool writes

    project = build(out / "emoji", emoji_corpus(out))
    with open_project(project) as opened:
        export_project(opened, out / "emoji-export", ("qdpx",), real_names=True)
        astral = sum(len(re.findall(r"[\U00010000-\U0010FFFF]", t)) for t in excerpt_texts(project).values())
    figures: dict[str, object] = {"astral_characters_in_excerpts": astral}
    for units in ("utf16", "utf8"):
        variant = rewrite_positions(out / "emoji-export" / "reduksi.qdpx", out / f"nvivo-{units}.qdpx", units)
        fresh = out / f"emoji-{units}-B"
        with open_project(fresh, create=True) as opened:
            report = import_qdpx(opened, variant)
        exact, total, _ = exact_after_import(variant, fresh)
        naive, _, drift = exact_after_import(variant, fresh, naive=True)
        figures[units] = {"exact_after_import": f"{exact}/{total}", "read_as": sorted(set(report.positions.values())),
                          "naive_exact": f"{naive}/{total}", "naive_median_drift": statistics.median(drift),
                          "naive_max_drift": max(drift), "verified_by_reviewer": project_counts(fresh)[
                              "verified_by_reviewer"]}
    figures["original"] = project_counts(project)["verified_by_reviewer"]
    return figures


def qdpxlib_reading(qdpx: Path, out: Path) -> dict[str, object]:
    """qdpxlib opens our export (it reads `sources/`, positions as byte offsets, and splits codings into
    sentences); and a copy with the folder spelled `Sources/`, as reduksi wrote it before."""
    try:
        from qdpxlib.qdpxlib import QDPXFile  # type: ignore[import-not-found]
    except ImportError:
        return {"qdpxlib": "not installed (pip install qdpxlib)"}
    opened = QDPXFile(str(qdpx))
    figures: dict[str, object] = {"sources": len(opened.uncoded_intervals), "code_names": len(
        {label for coding in opened.codings for label in coding[-1]}), "labelled_segments": sum(
        bool(coding[-1]) for coding in opened.codings)}
    old = out / "Sources-folder.qdpx"
    with zipfile.ZipFile(qdpx) as archive, zipfile.ZipFile(old, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name.replace("sources/", "Sources/", 1), archive.read(name))
    try:
        QDPXFile(str(old))
        figures["with_Sources_folder"] = "opened"
    except (OSError, KeyError) as error:
        figures["with_Sources_folder"] = f"fails: {type(error).__name__}"
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="reduksi-bench-interop-"))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    from tests.conftest import DEMO

    project = build(out / "demo", DEMO)
    figures = {"real": roundtrip(out, project, True), "pseudonymised": roundtrip(out, project, False),
               "nvivo": nvivo_variant(out)}
    figures["qdpxlib"] = qdpxlib_reading(out / "real-A" / "reduksi.qdpx", out)
    for step in ("A", "A.qdpx", "B", "B.qdpx", "import"):
        print(f"{step:<8} real names: {figures['real'][step]}")  # type: ignore[index]
    print(f"pseudonymised import: {figures['pseudonymised']['import']}")  # type: ignore[index]
    print(f"NVivo-style: {figures['nvivo']}")
    print(f"qdpxlib: {figures['qdpxlib']}")
    print(json.dumps(figures, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
