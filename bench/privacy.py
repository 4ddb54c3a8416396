"""Name detection and pseudonymisation: recall and precision on a names test set, and a scan of every export of
the demo project for any original name.

The test set (`bench/data/nama_kalimat.txt`, written for reduksi) holds 351 sentences of spoken Indonesian with
names of informants (from a small manifest), colleagues, pupils, schools and places marked `[[...]]` / `{{...}}`,
and sentences with capitalised words that are not names (days, months, subjects, institutions, sentence starts).
A gold name counts as found when a replaced span covers it; a replaced span that covers no gold name is a false
alarm. The reference in the same run: the honorific rule alone (no name list, no schools or places).

The scan runs the demo corpus (`reduksi run`), exports it in every format (CSV, XLSX, HTML, PDF, DOCX, QDPX, QDC)
without `--real-names`, and looks for every informant name form from the manifest and every detected name in the
exports and in the run's own outputs (excerpts.csv, cluster labels and map, report; not the key
`nama_terdeteksi.csv`).

    python bench/privacy.py [--no-scan]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.export.privacy import Pseudonymiser  # noqa: E402
from pipeline.privacy.names import Lexicon, detect_names, seen_in_lower_case  # noqa: E402

DATA = REPO / "bench" / "data" / "nama_kalimat.txt"
INFORMANTS = [("KS01", "Drs. Suryadi Wiratmaja, M.Pd."), ("G01", "Lilis Suryani, S.Pd."), ("G02", "Cecep Hermawan")]
MARK = re.compile(r"\[\[(?P<person>[^\]]+)\]\]|\{\{(?P<place>[^}]+)\}\}")


def read_set(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(plain sentence, [(start, end, kind)]) per line; '#' lines are comments."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        plain, spans, last = "", [], 0
        for match in MARK.finditer(line):
            plain += line[last:match.start()]
            name = match.group("person") or match.group("place")
            spans.append((len(plain), len(plain) + len(name), "person" if match.group("person") else "place"))
            plain += name
            last = match.end()
        sentences.append((plain + line[last:], spans))
    return sentences


def evaluate(sentences: list[tuple[str, list[tuple[int, int, str]]]], lexicon: Lexicon, places: bool
             ) -> dict[str, float]:
    texts = {str(i): text for i, (text, _) in enumerate(sentences)}
    base = Pseudonymiser.from_informants(INFORMANTS)
    found = detect_names(texts, lexicon, places=places,
                         skip=lambda n: n.casefold() in base.names or n.casefold() in base.parts)
    privacy = base.with_found({d.name: f"[X-{i}]" for i, d in enumerate(found)})
    gold = {"person": [0, 0], "place": [0, 0]}  # found, total
    predicted = correct = 0
    for text, spans in sentences:
        replaced = [(m.start(), m.end()) for m in privacy.pattern.finditer(text)] if privacy.pattern else []
        for start, end, kind in spans:
            gold[kind][1] += 1
            gold[kind][0] += any(s <= start and e >= end for s, e in replaced)
        predicted += len(replaced)
        correct += sum(any(s < end and e > start for start, end, _ in spans) for s, e in replaced)
    return {"person_recall": 100 * gold["person"][0] / gold["person"][1],
            "place_recall": 100 * gold["place"][0] / gold["place"][1],
            "precision": 100 * correct / max(predicted, 1), "gold_persons": gold["person"][1],
            "gold_places": gold["place"][1], "replaced": predicted}


def scan_demo() -> tuple[int, int, list[tuple[str, str]], dict[str, float]]:
    """(files scanned, names looked for, leaks, seconds per step) for the demo project's exports."""
    from pipeline.app.export import DEFAULT_FORMATS, FORMATS, export_project
    from pipeline.app.names import NAMES_FILE, project_privacy
    from pipeline.app.project import open_project
    from pipeline.app.run import run_job
    from pipeline.export.pdf import find_browser
    from pipeline.export.privacy import name_forms
    from pipeline.privacy.scan import export_texts, leaks
    from pipeline.store.sources import informants_frame

    timing = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run_job(REPO / "corpora" / "gugus3", Path(tmp) / "demo")
        timing["run"] = time.perf_counter() - started
        with open_project(Path(tmp) / "demo") as project:
            started = time.perf_counter()
            formats = FORMATS if find_browser() else DEFAULT_FORMATS  # pdf needs Chromium
            files = export_project(project, Path(tmp) / "export", formats)
            timing["export"] = time.perf_counter() - started
            detected = project_privacy(project).detected
            real = [n for n in informants_frame(project.store)["real_name"] if isinstance(n, str) and n]
        names = {form for name in real for form in name_forms(name)[1] if len(form) >= 3}
        names |= set(detected.loc[detected["status"] == "name", "name"])
        texts = export_texts(Path(tmp) / "export", skip=[NAMES_FILE])  # every format
        # the run's outputs: excerpts.csv, cluster labels and map, report (not the store, models or backups)
        run_texts = export_texts(Path(tmp) / "demo", skip=[NAMES_FILE], recursive=False)
        texts.update({f"run/{name}": text for name, text in run_texts.items()})
        return len(files), len(names), leaks(texts, names), timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-scan", action="store_true", help="only the test set")
    args = parser.parse_args()
    from pipeline.app.names import known_word, large_list_installed, ordinary_words
    from pipeline.privacy.name_list import _faker_names, is_listed_name, name_lists

    sentences = read_set(DATA)
    seen = seen_in_lower_case(text for text, _ in sentences)
    faker_only = _faker_names().__contains__  # the base install's list (without the `names` extra)
    is_word = known_word()
    rows = [("honorific rule only (reference)",
             evaluate(sentences, Lexicon(ordinary_words(), lambda w: False, seen, unlisted=False), places=False)),
            ("with Faker's names (base install)",
             evaluate(sentences, Lexicon(ordinary_words(), lambda w: faker_only(w.casefold()), seen, unlisted=True,
                                         is_word=is_word), places=True)),
            ("full detector",
             evaluate(sentences, Lexicon(ordinary_words(), is_listed_name, seen, unlisted=not large_list_installed(),
                                         is_word=is_word), places=True))]
    print(f"{len(sentences)} sentences, {rows[0][1]['gold_persons']} person names, {rows[0][1]['gold_places']} "
          f"schools/places; name lists: {', '.join(name_lists()) or 'none installed'}\n")
    print(f"{'detector':<34}{'person recall':>15}{'place recall':>14}{'precision':>11}{'replaced':>10}")
    for label, r in rows:
        print(f"{label:<34}{r['person_recall']:>14.1f}%{r['place_recall']:>13.1f}%{r['precision']:>10.1f}%"
              f"{r['replaced']:>10.0f}")
    result = {"name_recall": round(rows[2][1]["person_recall"], 1),
              "name_precision": round(rows[2][1]["precision"], 1),
              "place_recall": round(rows[2][1]["place_recall"], 1),
              "base_install_name_recall": round(rows[1][1]["person_recall"], 1),
              "base_install_name_precision": round(rows[1][1]["precision"], 1),
              "baseline_name_recall": round(rows[0][1]["person_recall"], 1)}
    if not args.no_scan:
        n_files, n_names, found, timing = scan_demo()
        print(f"\nDemo project: {n_files} export files and the run's outputs scanned for {n_names} original names "
              f"(run {timing['run']:.1f} s, export {timing['export']:.1f} s): {len(found)} left")
        for file, name in found[:20]:
            print(f"  {name!r} in {file}")
        result["names_left_in_exports"] = len(found)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
