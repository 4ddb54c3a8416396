"""Transcript conventions: answer recall, excerpt precision and files refused, per convention, on hand-written fixtures.

Fixtures: `tests/data/ingest_formats/<convention>/<name>.<ext>` beside `<name>.json`, which lists the informant
answers as typed in the file (`parts`: an answer interrupted by a page number or a table's line numbers has
several). Every file is read as an interview without a manifest row telling its labels, as a new user would.

- answer recall: share of expected answers whose excerpts, joined, are exactly the answer (white space aside);
- excerpt precision: share of excerpts lying inside an expected answer (no question, header or page number);
- refused: files that raised an error instead of being read.

Then the whole-path speed ratio of `bench/ingest.py` (ingest + excerpts + tokens vs bare spaCy tokenization) on a
smaller corpus, so both figures come from one run.

    python bench/ingest_formats.py [--speed-words 200000] [--no-speed]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
FIXTURES = REPO / "tests" / "data" / "ingest_formats"


def _norm(text: str) -> str:
    return " ".join(text.split())


def fixtures() -> list[tuple[str, Path, dict]]:
    """(convention, file, expected) for every fixture."""
    found = []
    for expected_file in sorted(FIXTURES.glob("*/*.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        found.append((expected_file.parent.name, expected_file.parent / expected["file"], expected))
    return found


def score_file(excerpts: list[str], answers: list[str]) -> tuple[int, int, int]:
    """(answers recalled, excerpts inside an answer, excerpts): excerpts are matched to answers in order."""
    assigned: dict[int, list[str]] = defaultdict(list)
    cursor, inside = 0, 0
    for text in map(_norm, excerpts):
        hit = next((i for i in range(cursor, len(answers)) if text and text in answers[i]), None)
        if hit is None:
            continue
        inside += 1
        assigned[hit].append(text)
        cursor = hit
    recalled = sum(1 for i, answer in enumerate(answers) if " ".join(assigned[i]) == answer)
    return recalled, inside, len(excerpts)


def evaluate() -> dict[str, dict[str, float]]:
    from pipeline import excerpts as excerpt_stage
    from pipeline.config import load_config
    from pipeline.errors import ReduksiError
    from pipeline.ingest.readers import read_source
    from pipeline.records import SourceMeta

    config = load_config()
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for convention, path, expected in fixtures():
        answers = [_norm(" ".join(a["parts"])) for a in expected["answers"]]
        row = totals[convention]
        row["files"] += 1
        row["answers"] += len(answers)
        try:
            parsed = read_source(SourceMeta(path=str(path), method="wawancara", informant=path.stem), config.ingest)
        except ReduksiError as error:
            row["refused"] += 1
            print(f"refused: {error}", file=sys.stderr)
            continue
        found = [e.text for e in excerpt_stage.run(parsed, path.stem, config.excerpts)]
        recalled, inside, n = score_file(found, answers)
        row["recalled"] += recalled
        row["inside"] += inside
        row["excerpts"] += n
        if recalled < len(answers) or inside < n:
            print(f"{convention}/{path.name}: {recalled}/{len(answers)} answers, {inside}/{n} excerpts inside",
                  file=sys.stderr)
    return {k: dict(v) for k, v in totals.items()}


def speed_ratio(words: int) -> dict[str, float]:
    """`bench/ingest.py`'s whole path vs bare spaCy on the replicated demo corpus (one size only)."""
    sys.path.insert(0, str(REPO / "bench"))
    import ingest as whole_path  # bench/ingest.py

    with tempfile.TemporaryDirectory(prefix="reduksi-formats-") as tmp:
        figures = whole_path.run_size(words, Path(tmp))
        bare = whole_path.measure_bare_spacy(Path(tmp) / f"project-{words}")
    pipeline_wps, bare_wps = figures["words"] / figures["seconds"], bare["words"] / bare["seconds"]
    return {"pipeline_words_per_s": round(pipeline_wps), "bare_spacy_words_per_s": round(bare_wps),
            "pct_of_bare": round(100 * pipeline_wps / bare_wps, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-words", type=int, default=200_000)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    totals = evaluate()
    print(f"{'convention':<22} {'files':>5} {'answers':>7} {'recall %':>9} {'precision %':>11} {'refused':>7}")
    summary = {"a": 0.0, "r": 0.0, "i": 0.0, "e": 0.0, "files": 0.0, "refused": 0.0}
    for convention, row in sorted(totals.items()):
        recall = 100 * row.get("recalled", 0) / max(row["answers"], 1)
        precision = 100 * row.get("inside", 0) / max(row.get("excerpts", 0), 1)
        print(f"{convention:<22} {int(row['files']):>5} {int(row['answers']):>7} {recall:>9.1f} {precision:>11.1f}"
              f" {int(row.get('refused', 0)):>7}")
        for key, source in (("a", "answers"), ("r", "recalled"), ("i", "inside"), ("e", "excerpts"),
                            ("files", "files"), ("refused", "refused")):
            summary[key] += row.get(source, 0)
    result = {"conventions": len(totals), "files": int(summary["files"]), "answers": int(summary["a"]),
              "answer_recall_pct": round(100 * summary["r"] / max(summary["a"], 1), 1),
              "excerpt_precision_pct": round(100 * summary["i"] / max(summary["e"], 1), 1),
              "refused": int(summary["refused"])}
    if not args.no_speed:
        result |= speed_ratio(args.speed_words)
        print(f"\nwhole path = {result['pct_of_bare']}% of bare spaCy tokenization (goal >= 20%)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
