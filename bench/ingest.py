"""Ingest throughput and memory: demo corpus replicated to >= 1M words, ingest -> excerpts -> tokens.

Compared in the same run with bare `spacy.blank("id")` tokenization of the same excerpt texts.
Each corpus size runs in a fresh subprocess so its peak RSS is its own; flat memory means the peak barely grows
as the corpus grows (files are parsed and stored one at a time, tokens are streamed).

    python bench/ingest.py [--words 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEMO = REPO / "corpora" / "gugus3"


def replicate(target: Path, words: int) -> int:
    """Copy the demo sources under new names until the corpus holds at least `words` words."""
    with open(DEMO / "manifest.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_copy = _demo_words()
    copies = -(-words // per_copy)
    (target / "sumber").mkdir(parents=True)
    out_rows = []
    for copy in range(copies):
        for row in rows:
            source = DEMO / row["file"]
            name = f"{source.stem}-{copy:04d}{source.suffix}"
            shutil.copy(source, target / "sumber" / name)
            out_rows.append({**row, "file": f"sumber/{name}",
                             "informant": f"{row['informant']}-{copy}" if row["informant"] else ""})
    with open(target / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return copies


def _demo_words() -> int:
    """Words in the demo corpus's excerpts (what gets tokenized; interviewer turns and headings excluded)."""
    from pipeline import excerpts
    from pipeline.config import load_config
    from pipeline.ingest.batch import resolve_batch
    from pipeline.ingest.readers import read_source

    config = load_config()
    metas, _ = resolve_batch([DEMO], config)
    return sum(len(e.text.split()) for m in metas
               for e in excerpts.run(read_source(m, config.ingest), Path(m.path).stem, config.excerpts))


def measure_pipeline(corpus: Path, project: Path) -> dict[str, float]:
    """Runs in a subprocess: ingest the corpus, then stream every excerpt through the default tokenizer."""
    from pipeline.config import load_config
    from pipeline.ingest.batch import ingest, resolve_batch
    from pipeline.language import backend_from_config
    from pipeline.store import Store
    from pipeline.store.excerpts import iter_excerpt_texts

    config = load_config()
    backend = backend_from_config(config)
    backend.tokenize("Pemanasan tokenizer.")
    started = time.perf_counter()
    metas, _ = resolve_batch([corpus], config)
    with Store.init(project) as store:
        ingest(store, metas, config)
        ingested = time.perf_counter()
        words = tokens = 0
        for _, text in iter_excerpt_texts(store):
            words += len(text.split())
            tokens += len(backend.tokenize(text))
    finished = time.perf_counter()
    return {"words": words, "tokens": tokens, "seconds": finished - started, "ingest_seconds": ingested - started,
            "tokenize_seconds": finished - ingested, "backend": backend.name,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_bare_spacy(project: Path) -> dict[str, float]:
    """The reference: spaCy's blank Indonesian tokenizer alone over the same excerpt texts (read beforehand)."""
    import spacy

    from pipeline.store import Store
    from pipeline.store.excerpts import iter_excerpt_texts

    with Store.open(project) as store:
        texts = [text for _, text in iter_excerpt_texts(store)]
    nlp = spacy.blank("id")
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=1000))
    seconds = time.perf_counter() - started
    return {"words": sum(len(t.split()) for t in texts), "tokens": tokens, "seconds": seconds}


def run_size(words: int, workdir: Path) -> dict[str, float]:
    corpus, project = workdir / f"corpus-{words}", workdir / f"project-{words}"
    copies = replicate(corpus, words)
    result = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(project)],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["files"] = copies * len(list((DEMO / "sumber").iterdir()))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_pipeline(Path(args.child[0]), Path(args.child[1]))))
        return
    sizes = [args.words // 4, args.words // 2, args.words]
    with tempfile.TemporaryDirectory(prefix="reduksi-bench-") as tmp:
        results = {size: run_size(size, Path(tmp)) for size in sizes}
        bare = measure_bare_spacy(Path(tmp) / f"project-{args.words}")
    big = results[args.words]
    pipeline_wps, bare_wps = big["words"] / big["seconds"], bare["words"] / bare["seconds"]
    print(f"{'corpus':>10} {'files':>6} {'words':>9} {'ingest s':>9} {'tokens s':>9} {'words/s':>9} "
          f"{'peak RSS MB':>12}")
    for size, r in results.items():
        print(f"{size:>10,} {r['files']:>6} {r['words']:>9,} {r['ingest_seconds']:>9.1f} {r['tokenize_seconds']:>9.1f}"
              f" {r['words'] / r['seconds']:>9,.0f} {r['peak_rss_mb']:>12.0f}")
    print(f"\nbackend {big['backend']}; reference: bare spacy.blank('id') tokenizer on the same "
          f"{bare['words']:,} words: {bare_wps:,.0f} words/s")
    print(f"whole path (ingest + excerpts + tokens) = {100 * pipeline_wps / bare_wps:.1f}% of bare tokenizer speed "
          f"(goal >= 20%); peak RSS {results[sizes[0]]['peak_rss_mb']:.0f} MB at {sizes[0]:,} words -> "
          f"{big['peak_rss_mb']:.0f} MB at {args.words:,} words (goal: flat)")
    print(json.dumps({"words": big["words"], "files": big["files"], "pipeline_words_per_s": round(pipeline_wps),
                      "bare_spacy_words_per_s": round(bare_wps), "pct_of_bare": round(100 * pipeline_wps / bare_wps, 1),
                      "peak_rss_mb_quarter": round(results[sizes[0]]["peak_rss_mb"]),
                      "peak_rss_mb_half": round(results[sizes[1]]["peak_rss_mb"]),
                      "peak_rss_mb_full": round(big["peak_rss_mb"])}))


if __name__ == "__main__":
    main()
