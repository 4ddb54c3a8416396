"""Optional backend: a stanza Indonesian model gives tokens, multi-word tokens, UPOS and lemmas.

Needs the `[stanza]` extra and a model folder (`[language] stanza_model_dir`). stanza is always built with
`download_method=None` and explicit model paths: it never touches the network. Normal forms, stop words, fillers,
annotations and the plural flag still come from the reduksi analyzer, so both backends mark tokens the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from pipeline.errors import BackendUnavailable
from pipeline.language.analyzer import Analyzer
from pipeline.language.base import Token
from pipeline.language.resources import DATA_DIR, load_resources
from pipeline.language.spacy_backend import merge_annotations
from pipeline.registry import register

PROCESSORS = ("tokenize", "mwt", "pos", "lemma")
REQUIRED = ("tokenize", "lemma")
CLITICS = frozenset(("nya", "ku", "mu", "kau", "lah", "kah", "pun", "tah"))
HOW_TO_GET = ("on a machine with internet: pip install 'reduksi[stanza]' and run python -c \"import stanza; "
              "stanza.download('id', model_dir='stanza_id', processors='tokenize,mwt,pos,lemma')\", copy the "
              "stanza_id folder here and set [language] stanza_model_dir = \"stanza_id\" in configs/reduksi.toml")


class StanzaBackend:
    name = "stanza-id/1"

    def __init__(self, model_dir: str = "", package: str = "", use_gpu: bool = False, batch_size: int = 32,
                 lexicon: str = "", stop_words_add: tuple[str, ...] = (),
                 stop_words_keep: tuple[str, ...] = ()) -> None:
        stanza = _import_stanza()
        root, lang_dir = locate_model_dir(model_dir)
        paths = find_model_files(lang_dir, package)
        resources = root / "resources.json"
        options: dict[str, Any] = {f"{name}_model_path": str(path) for name, path in paths.items()
                                   if name in PROCESSORS}
        if not resources.exists():  # a folder of models trained by hand: give the pos model its dependencies too
            resources = DATA_DIR / "stanza_resources.json"
            options.update({f"pos_{name}_path": str(path) for name, path in paths.items() if name not in PROCESSORS})
        self._nlp = stanza.Pipeline(
            lang="id", dir=str(root), download_method=None, resources_filepath=str(resources),
            processors=",".join(p for p in PROCESSORS if p in paths), allow_unknown_language=True,
            use_gpu=use_gpu, logging_level="WARN", **options)
        self._document = stanza.Document
        self.batch_size = batch_size
        self.analyzer = Analyzer(load_resources(lexicon, tuple(stop_words_add), tuple(stop_words_keep)))
        self.info: dict[str, Any] = {"backend": self.name, "stanza": stanza.__version__,
                                     "models": {name: str(path) for name, path in paths.items()}}

    def tokenize(self, text: str) -> list[Token]:
        return self._convert(text, self._nlp(text))

    def tokenize_many(self, texts: Iterable[str]) -> Iterator[list[Token]]:
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        doc = self._nlp(text)
        return [(s.tokens[0].start_char, s.tokens[-1].end_char) for s in doc.sentences if s.tokens]

    def _run_batch(self, texts: list[str]) -> Iterator[list[Token]]:
        docs = self._nlp([self._document([], text=t) for t in texts])
        for text, doc in zip(texts, docs):
            yield self._convert(text, doc)

    def _convert(self, text: str, doc: Any) -> list[Token]:
        tokens = []
        for sentence in doc.sentences:
            for index, tok in enumerate(sentence.tokens):
                tokens.append(self._token(text, tok, initial=index == 0))
        if "[" in text or "(" in text:
            return merge_annotations(text, tokens)
        return tokens

    def _token(self, text: str, tok: Any, initial: bool) -> Token:
        start, end = tok.start_char, tok.end_char
        surface = text[start:end]
        proclitic, host, enclitics = split_words(surface, tok.words)
        pos = host.upos or ""
        lowered = (pos and pos != "PROPN") or (not pos and initial and surface[:1].isupper() and surface[1:].islower())
        a = self.analyzer.analyse(surface.lower() if lowered else surface)
        lemma = (host.lemma or a.lemma).lower()
        return Token(start, end, surface, a.norm, lemma, a.is_stop, a.is_punct or pos == "PUNCT", a.is_nonlexical,
                     pos, a.plural, proclitic, enclitics)


def split_words(surface: str, words: list[Any]) -> tuple[str, Any, tuple[str, ...]]:
    """(proclitic, host word, enclitics) of a stanza token whose words spell it; no clitics otherwise."""
    if len(words) == 1 or "".join(w.text for w in words).lower() != surface.lower():
        return "", words[0], ()
    hosts = [i for i, w in enumerate(words) if w.text.lower() not in CLITICS]
    if len(hosts) != 1:
        return "", words[0], ()
    h = hosts[0]
    proclitic = "".join(w.text.lower() for w in words[:h])
    return proclitic, words[h], tuple(w.text.lower() for w in words[h + 1:])


def locate_model_dir(model_dir: str) -> tuple[Path, Path]:
    """(stanza root folder, its Indonesian folder): accept either `stanza_id/` or `stanza_id/id/`."""
    if not model_dir:
        raise BackendUnavailable("no stanza model folder configured", key="language.stanza_model_dir",
                                 hint=HOW_TO_GET)
    folder = Path(model_dir).expanduser()
    if (folder / "id").is_dir():
        return folder, folder / "id"
    if folder.name == "id" and folder.is_dir():
        return folder.parent, folder
    raise BackendUnavailable("no Indonesian stanza model found (expected an 'id' folder)", file=folder,
                             key="language.stanza_model_dir", hint=HOW_TO_GET)


def find_model_files(lang_dir: Path, package: str = "") -> dict[str, Path]:
    """One .pt file per processor (and pos dependencies); `package` picks among several (e.g. 'gsd')."""
    found: dict[str, Path] = {}
    for name in (*PROCESSORS, "pretrain", "forward_charlm", "backward_charlm"):
        files = sorted((lang_dir / name).glob("*.pt"))
        if package:
            files = [f for f in files if f.stem.startswith(package)] or files
        if len(files) > 1:
            raise BackendUnavailable(f"several {name} models: {', '.join(f.name for f in files)}",
                                     file=lang_dir / name, key="language.stanza_package",
                                     hint="name the one to use with [language] stanza_package")
        if files:
            found[name] = files[0]
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise BackendUnavailable(f"the stanza model folder has no {' or '.join(missing)} model", file=lang_dir,
                                 key="language.stanza_model_dir", hint=HOW_TO_GET)
    return found


def _import_stanza() -> Any:
    try:
        import stanza
    except ImportError as exc:
        raise BackendUnavailable(f"the stanza backend needs stanza and torch ({exc.name} is missing)",
                                 hint="pip install 'reduksi[stanza]'") from None
    return stanza


@register("tokenizer", "stanza")
def make_stanza_backend(**options: Any) -> StanzaBackend:
    return StanzaBackend(**options)
