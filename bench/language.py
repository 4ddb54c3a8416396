"""Benchmark of the Indonesian language layer on UD Indonesian-GSD (../shared/data/ud-id-gsd).

Prints, side by side: token span F1 against surface tokens and against syntactic words (clitics split), sentence
boundary F1 (the split's sentences joined by one space; a boundary is a sentence's end offset; GSD items that hold
several sentences cap it), lemma accuracy (case-insensitive, words other than
PUNCT/NUM/SYM/X, overall and by UPOS) and words/s, for every available backend, next to the README's naive
reference points and bare `spacy.blank("id")` measured in the same run. Ends with one line of JSON.

    python bench/language.py [--split test|dev] [--stanza-model-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ud-id-gsd"
SKIP_UPOS = frozenset(("PUNCT", "NUM", "SYM", "X"))
SHOWN_UPOS = ("VERB", "NOUN", "ADJ", "ADV", "PRON", "PROPN")
Span = tuple[int, int]


@dataclass
class Sentence:
    text: str
    surface: list[Span] = field(default_factory=list)
    words: list[tuple[Span, str, str]] = field(default_factory=list)  # (span, lemma, upos)


def read_conllu(path: Path) -> list[Sentence]:
    sentences, rows, text = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[9:]
        elif not line and text is not None:
            sentences.append(_align(text, rows))
            rows, text = [], None
        elif line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return sentences


def _align(text: str, rows: list[list[str]]) -> Sentence:
    """Character offsets of every surface token and syntactic word (GSD's MWT words concatenate to the token)."""
    sentence, position, pending = Sentence(text), 0, 0
    for cols in rows:
        if "." in cols[0]:
            continue
        if "-" in cols[0]:
            first, last = map(int, cols[0].split("-"))
            start = text.index(cols[1], position)
            sentence.surface.append((start, start + len(cols[1])))
            pending, position, word_at = last, start + len(cols[1]), start
            continue
        if int(cols[0]) <= pending:
            end = min(word_at + len(cols[1]), position)
            sentence.words.append(((word_at, end), cols[2].lower(), cols[3]))
            word_at = end
            continue
        start = text.index(cols[1], position)
        span = (start, start + len(cols[1]))
        sentence.surface.append(span)
        sentence.words.append((span, cols[2].lower(), cols[3]))
        position = span[1]
    return sentence


@dataclass
class Output:
    surface: list[Span]
    words: list[tuple[Span, str]]  # (span, lemma)


def f1(gold: list, predicted: list) -> float:
    gold_set, predicted_set = Counter(gold), Counter(predicted)
    hits = sum((gold_set & predicted_set).values())
    return 200.0 * hits / (len(gold) + len(predicted)) if gold or predicted else 100.0


def score(sentences: list[Sentence], outputs: list[Output]) -> dict[str, float]:
    gold_surface = [(i, s) for i, sent in enumerate(sentences) for s in sent.surface]
    gold_words = [(i, w[0]) for i, sent in enumerate(sentences) for w in sent.words]
    pred_surface = [(i, s) for i, out in enumerate(outputs) for s in out.surface]
    pred_words = [(i, w[0]) for i, out in enumerate(outputs) for w in out.words]
    result = {"surface_f1": f1(gold_surface, pred_surface), "word_f1": f1(gold_words, pred_words)}
    if any(out.words and out.words[0][1] is not None for out in outputs):
        result.update(lemma_accuracy(sentences, outputs))
    return result


def lemma_accuracy(sentences: list[Sentence], outputs: list[Output]) -> dict[str, float]:
    total, right = Counter(), Counter()
    for sent, out in zip(sentences, outputs):
        predicted = {span: (lemma or "").lower() for span, lemma in out.words}
        for span, lemma, upos in sent.words:
            if upos in SKIP_UPOS:
                continue
            hit = predicted.get(span) == lemma
            for key in ("lemma", upos):
                total[key] += 1
                right[key] += hit
    return {("lemma_acc" if k == "lemma" else f"lemma_{k}"): 100.0 * right[k] / total[k] for k in total}


def sentence_f1(sentences: list[Sentence], split: Callable[[str], list[Span]]) -> float:
    document, gold = "", []
    for sent in sentences:
        document += sent.text
        gold.append(len(document.rstrip()))
        document += " "
    return f1(gold, [end for _, end in split(document)])


def run_layer(backend, sentences: list[Sentence]) -> list[Output]:
    outputs = []
    for sent in sentences:
        tokens = backend.tokenize(sent.text)
        words = [((w.start, w.end), w.lemma) for t in tokens for w in t.words()]
        outputs.append(Output([(t.start, t.end) for t in tokens], words))
    return outputs


def words_per_second(texts: list[str], process: Callable[[list[str]], int], repeat: int) -> float:
    started = time.perf_counter()
    count = sum(process(texts) for _ in range(repeat))
    return count / (time.perf_counter() - started)


def regex_outputs(pattern: str, sentences: list[Sentence]) -> list[Output]:
    compiled = re.compile(pattern)
    outputs = []
    for sent in sentences:
        spans = [m.span() for m in compiled.finditer(sent.text)]
        outputs.append(Output(spans, [(s, sent.text[s[0]:s[1]].lower()) for s in spans]))
    return outputs


def naive_sentences(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--stanza-model-dir", default="", help="an Indonesian stanza model folder, if you have one")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the split for warm throughput")
    args = parser.parse_args()
    sentences = read_conllu(DATA / f"id_gsd-ud-{args.split}.conllu")
    texts = [s.text for s in sentences]
    n_words = sum(len(s.surface) for s in sentences)
    rows: dict[str, dict[str, float]] = {}

    rows["\\S+ split (README ref.)"] = score(sentences, regex_outputs(r"\S+", sentences))
    rows["\\S+ split (README ref.)"]["sentence_f1"] = sentence_f1(sentences, naive_sentences)
    reference = r"\w+(?:[-'’.,/]\w+)*|[^\w\s]"
    rows["\\w+(?:[-'’.,/]\\w+)* (README)"] = score(sentences, regex_outputs(reference, sentences))
    rows["spacy.blank('id') bare"] = bare_spacy(sentences, texts, args.repeat)
    rows["Sastrawi stemmer on bare spaCy"] = sastrawi_row(sentences)
    rows["spaCy id_lemma_lookup, bare spaCy"] = lookup_row(sentences)

    from pipeline.language import load_backend

    rows["reduksi spacy-id/1"] = layer_row(lambda: load_backend("spacy"), sentences, texts, args.repeat)
    stanza_note = ""
    if args.stanza_model_dir:
        rows["reduksi stanza-id/1"] = layer_row(lambda: load_backend("stanza", model_dir=args.stanza_model_dir),
                                                sentences, texts, 1)
    else:
        stanza_note = "stanza: not measured (no Indonesian model here; pass --stanza-model-dir DIR)"
    print_table(rows, args.split, n_words, stanza_note)
    spoken = spoken_row()
    ours, bare = rows["reduksi spacy-id/1"], rows["spacy.blank('id') bare"]
    summary = {k: round(v, 2) for k, v in ours.items()}
    summary.update(spoken)
    summary["spacy_blank_words_per_s"] = round(bare["words_per_s"])
    summary["speed_ratio_warm"] = round(ours["words_per_s"] / bare["words_per_s"], 3)
    summary["speed_ratio_cold"] = round(ours["words_per_s_cold"] / bare["words_per_s_cold"], 3)
    print(json.dumps(summary))


def spoken_row() -> dict[str, float]:
    """Our own spoken-Indonesian set (tests/data/language/spoken.tsv): normal forms, lemmas, negations kept."""
    from pipeline.language import load_backend
    from pipeline.language.evaluation import read_spoken_set, score_spoken

    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "language" / "spoken.tsv"
    result = score_spoken(load_backend("spacy"), read_spoken_set(path))
    print(f"spoken set ({result.sentences} sentences written for reduksi): informal forms normalised "
          f"{result.informal_correct}/{result.informal} = {result.normalisation_accuracy:.2f}%, lemmas "
          f"{result.lemmas_correct}/{result.lemmas} = {result.lemma_accuracy:.2f}%, negations kept as content "
          f"{result.negations_kept}/{result.negations}")
    return {"spoken_norm_acc": round(result.normalisation_accuracy, 2),
            "spoken_lemma_acc": round(result.lemma_accuracy, 2),
            "spoken_negations_dropped": result.negations - result.negations_kept}


def bare_spacy(sentences: list[Sentence], texts: list[str], repeat: int) -> dict[str, float]:
    import spacy

    nlp = spacy.blank("id")
    cold = words_per_second(texts, lambda ts: sum(len(d) for d in nlp.tokenizer.pipe(ts)), 1)
    outputs = []
    for sent in sentences:
        spans = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(sent.text) if not t.is_space]
        outputs.append(Output(spans, [(s, sent.text[s[0]:s[1]].lower()) for s in spans]))
    row = score(sentences, outputs)
    row["words_per_s"] = words_per_second(texts, lambda ts: sum(len(d) for d in nlp.tokenizer.pipe(ts)), repeat)
    row["words_per_s_cold"] = cold
    return row


def sastrawi_row(sentences: list[Sentence]) -> dict[str, float]:
    import spacy
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    nlp, stemmer = spacy.blank("id"), StemmerFactory().create_stemmer()
    outputs = []
    for sent in sentences:
        spans = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(sent.text) if not t.is_space]
        outputs.append(Output(spans, [(s, stemmer.stem(sent.text[s[0]:s[1]]) or sent.text[s[0]:s[1]]) for s in spans]))
    return score(sentences, outputs)


def lookup_row(sentences: list[Sentence]) -> dict[str, float]:
    import spacy

    from pipeline.language.resources import spacy_table

    nlp, table = spacy.blank("id"), spacy_table("id_lemma_lookup")
    outputs = []
    for sent in sentences:
        spans = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(sent.text) if not t.is_space]
        words = [(s, table.get(sent.text[s[0]:s[1]].lower(), sent.text[s[0]:s[1]].lower())) for s in spans]
        outputs.append(Output(spans, words))
    return score(sentences, outputs)


def layer_row(make: Callable, sentences: list[Sentence], texts: list[str], repeat: int) -> dict[str, float]:
    """Cold: a new backend (empty word cache) over the split once; warm: `repeat` further passes."""
    backend = make()
    cold = words_per_second(texts, lambda ts: sum(len(backend.tokenize(t)) for t in ts), 1)
    warm = words_per_second(texts, lambda ts: sum(len(backend.tokenize(t)) for t in ts), repeat)
    row = score(sentences, run_layer(backend, sentences))
    row["sentence_f1"] = sentence_f1(sentences, backend.sentences)
    row.update(words_per_s=warm, words_per_s_cold=cold)
    return row


def print_table(rows: dict[str, dict[str, float]], split: str, n_words: int, note: str) -> None:
    columns = [("surface_f1", "surf F1"), ("word_f1", "word F1"), ("sentence_f1", "sent F1"), ("lemma_acc", "lemma"),
               *((f"lemma_{u}", u) for u in SHOWN_UPOS), ("words_per_s_cold", "w/s cold"), ("words_per_s", "w/s warm")]
    print(f"UD Indonesian-GSD {split}: {len(rows)} systems, {n_words} surface tokens")
    print(f"{'system':34}" + "".join(f"{title:>10}" for _, title in columns))
    for name, row in rows.items():
        cells = []
        for key, _ in columns:
            value = row.get(key)
            cells.append(f"{'-':>10}" if value is None else f"{value:>10.0f}" if key.startswith("words")
                         else f"{value:>10.2f}")
        print(f"{name:34}" + "".join(cells))
    print("lemma: accuracy over words that are not PUNCT/NUM/SYM/X; bare rows: lowercased form as lemma.")
    print("README reference points (GSD test): \\S+ 79.5 token F1; \\w+(?:[-'’.,/]\\w+)*|[^\\w\\s] 99.8; lowercasing "
          "alone ~83.5% of words (the README counts all words; the lemma column above excludes PUNCT/NUM/SYM/X).")
    if note:
        print(note)


if __name__ == "__main__":
    main()
