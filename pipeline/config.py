"""One validated configuration: `configs/reduksi.toml`, one table per stage, loaded into frozen dataclasses.

Unknown keys and wrong types fail at load with the file, the dotted key and the expected type.
Relative paths in the file are resolved against the project root (the folder holding `configs/`).
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from pipeline.errors import ConfigError, ConfigValueError
from pipeline.records import INTERVIEWER_LABELS, STUDY_ROLES

REPO_ROOT = Path(__file__).resolve().parents[1]  # the source checkout (tests and benches only)
CONFIG_FILE = "reduksi.toml"


def default_config_file() -> Path:
    """The packaged default `reduksi.toml` (from the wheel, or `configs/` in a checkout)."""
    return Path(str(resources.files("pipeline.configs") / CONFIG_FILE))


def between(low: float, high: float) -> dict[str, Any]:
    """Field metadata: the value must lie in [low, high]."""
    return {"check": (lambda v: low <= v <= high), "allowed": f"a number from {low} to {high}"}


def at_least(low: float) -> dict[str, Any]:
    return {"check": (lambda v: v >= low), "allowed": f"at least {low}"}


def one_of(*choices: str) -> dict[str, Any]:
    return {"check": (lambda v: v in choices), "allowed": f"one of {', '.join(map(repr, choices))}"}


def template_of(*names: str) -> dict[str, Any]:
    """Field metadata: a text whose `{placeholders}` are all among `names`."""
    def check(value: str) -> bool:
        import string

        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError:
            return False
        return all(f in names for f in fields)

    return {"check": check, "allowed": f"text with placeholders among {', '.join('{' + n + '}' for n in names)}"}


def each_one_of(*choices: str) -> dict[str, Any]:
    return {"check": (lambda v: all(x in choices for x in v)), "allowed": f"each one of {', '.join(choices)}"}


@dataclass(frozen=True)
class IngestConfig:
    interviewer_labels: tuple[str, ...] = INTERVIEWER_LABELS
    roles: tuple[str, ...] = STUDY_ROLES
    # Words that look like "Label:" but open header lines, not speaker turns.
    header_keys: tuple[str, ...] = ("Tanggal", "Hari", "Waktu", "Tempat", "Lokasi", "Durasi", "Judul", "Topik",
                                    "Catatan", "Kode", "Informan ID", "Jabatan", "Sekolah")
    max_label_words: int = field(default=4, metadata=at_least(1))
    progress_min_files: int = field(default=10, metadata=at_least(0))


@dataclass(frozen=True)
class ExcerptConfig:
    # longer turns are split at sentence boundaries into windows of about this size
    max_words: int = field(default=150, metadata=at_least(10))


@dataclass(frozen=True)
class LanguageConfig:
    # "stanza" (needs the [stanza] extra and a model folder)
    backend: str = field(default="spacy", metadata=one_of("spacy", "stanza"))
    stanza_model_dir: str = ""  # stanza's Indonesian models: a folder holding id/ (configs/language/README.md)
    stanza_package: str = ""  # which model to use when the folder holds several per processor, e.g. "gsd"
    lexicon: str = ""  # extra normalisation lexicon (informal<TAB>standard<TAB>kind), over the packaged one
    stop_words_add: tuple[str, ...] = ()
    stop_words_keep: tuple[str, ...] = ()  # words never treated as stop words


@dataclass(frozen=True)
class SuggestConfig:
    codebook: str = ""  # a codebook file for projects that hold none ("": the project's own, else open coding)
    model: str = ""  # a model folder; "": the project's promoted model, else a shipped one for this codebook
    top_k: int = field(default=3, metadata=at_least(1))
    min_score: float = field(default=0.2, metadata=between(0.0, 1.0))  # floor under every per-code threshold
    # tokenizer backend whose lemmas feed the features (recorded in the model card)
    lemma_backend: str = field(default="spacy", metadata=one_of("spacy", "stanza"))
    n_reasons: int = field(default=3, metadata=at_least(0))  # terms of the excerpt shown with each suggestion
    use_context: bool = True  # the interviewer's preceding question as a feature
    # model weight for a code = n / (n + blend_k), n = its verified examples
    blend_k: float = field(default=10.0, metadata=at_least(0.0))
    # verified examples a code needs before a model is trained for it
    min_positive: int = field(default=5, metadata=at_least(1))
    # folds for calibration/thresholds in train and for `reduksi evaluate` (grouped by informant)
    cv_folds: int = field(default=5, metadata=at_least(2))


@dataclass(frozen=True)
class ClusterConfig:
    # "lsa" (TF-IDF over content lemmas -> truncated SVD) or "use-m3" (extra: dense)
    vectors: str = field(default="lsa", metadata=one_of("lsa", "use-m3"))
    svd_components: int = field(default=30, metadata=at_least(2))
    min_df: int = field(default=1, metadata=at_least(1))
    method: typing.Literal["kmeans", "hdbscan"] = "kmeans"
    # kmeans: 0 chooses k in [k_min, k_max] by mean silhouette; > 0 fixes k
    n_clusters: int = field(default=0, metadata=at_least(0))
    k_min: int = field(default=3, metadata=at_least(2))
    k_max: int = field(default=15, metadata=at_least(2))
    # hdbscan; kmeans never tries a k whose mean cluster would be smaller
    min_cluster_size: int = field(default=5, metadata=at_least(2))
    seed: int = 42
    label_terms: int = field(default=8, metadata=at_least(1))
    central_excerpts: int = field(default=3, metadata=at_least(1))
    # a suggestion at or above this counts as a confident code
    confident_probability: float = field(default=0.5, metadata=between(0.0, 1.0))
    # a cluster with a larger share of uncoded excerpts is a candidate theme
    new_theme_min_uncoded: float = field(default=0.5, metadata=between(0.0, 1.0))
    # a cluster holding this share of a code's excerpts (and >= split_min_excerpts)
    split_min_share: float = field(default=0.2, metadata=between(0.0, 1.0))
    split_min_excerpts: int = 3
    map: typing.Literal["auto", "pca", "tsne"] = "auto"  # auto: t-SNE up to 2,000 excerpts, PCA beyond


@dataclass(frozen=True)
class ReviewConfig:
    # Queue order: usefulness = weighted sum of these three scores, each in [0, 1].
    # a code's probability close to its threshold
    uncertainty_weight: float = field(default=1.0, metadata=at_least(0.0))
    # codebook-only and trained suggestions differ (hurt on the HoASA bench)
    disagreement_weight: float = field(default=0.0, metadata=at_least(0.0))
    rarity_weight: float = field(default=0.5, metadata=at_least(0.0))  # likely holds a code with few verified examples
    # round-robin over this many k-means clusters of the candidates (0: off)
    diversity_clusters: int = field(default=25, metadata=at_least(0))
    # Terminal review: every this many decisions, refit a session suggester on the verified labels and re-rank what
    # is left (0: never). Only the order changes; the suggestions shown stay those of the model in use.
    requeue_every: int = field(default=10, metadata=at_least(0))
    # resamples of excerpts for agreement confidence intervals
    bootstrap: int = field(default=1000, metadata=at_least(0))
    confidence: float = field(default=0.95, metadata=between(0.5, 0.999))  # a share, not a percentage
    seed: int = 42  # bootstrap and double-coding samples, and the queue's k-means clusters
    # share of an assignment round coded by two reviewers
    overlap: float = field(default=0.2, metadata=between(0.0, 1.0))
    promote_metric: typing.Literal["micro_f1", "macro_f1"] = "micro_f1"
    # a new model is promoted when new > old - tolerance (percentage points): with 0, a tie keeps the model in use
    promote_tolerance: float = field(default=0.0, metadata=between(0.0, 100.0))


@dataclass(frozen=True)
class DisplayConfig:
    # excerpts shown per cell of the framework matrix (the strongest first)
    framework_excerpts: int = field(default=2, metadata=at_least(1))
    framework_chars: int = field(default=240, metadata=at_least(20))  # each shortened to at most this many characters


@dataclass(frozen=True)
class ExportConfig:
    lang: typing.Literal["id", "en"] = "id"  # labels of the CSV headers, workbook sheets and HTML report
    run_formats: tuple[str, ...] = field(default=("csv", "xlsx", "html"),
                                         # what `reduksi run` writes (also: qdpx, qdc)
                                         metadata=each_one_of("csv", "xlsx", "html", "qdpx", "qdc", "docx",
                                                              "pdf"))
    # How the chapter cites a quote: {method} (W/O/D), {informant}, {date}, {source}, {turn}, {role}, {site}.
    citation: str = field(default="({method}/{informant}/{date})",
                          metadata=template_of("method", "informant", "date", "source", "turn", "role", "site"))
    citation_date: str = field(default="%d-%m-%Y", metadata={"check": lambda v: "%" in v,
                                                             "allowed": "a strftime pattern such as %d-%m-%Y"})
    quotes_per_code: int = field(default=3, metadata=between(1, 10))  # representative quotes per code
    places: bool = False  # also replace schools and places found in the text ([SEKOLAH-1], [TEMPAT-1])


@dataclass(frozen=True)
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    excerpts: ExcerptConfig = field(default_factory=ExcerptConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    suggest: SuggestConfig = field(default_factory=SuggestConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    root: str = "."  # not read from the file: where its relative paths start (the folder holding it)
    source: str = ""  # the file this config came from

    def path(self, value: str) -> Path:
        """Resolve a path given in config against the project root."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() else Path(self.root) / candidate


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate a config file; with no path, the packaged defaults."""
    file = Path(path) if path else default_config_file()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=file) from None
    sections = _build(Config, data, file, "", skip=("root", "source"))
    return dataclasses.replace(sections, root=str(file.resolve().parent), source=str(file))


def config_to_toml(config: Config) -> str:
    """The resolved config as TOML, written beside every run's outputs."""
    data = dataclasses.asdict(config)
    data.pop("root"), data.pop("source")
    return tomli_w.dumps(data)


def _build(cls: type, data: Any, file: Path, prefix: str, skip: tuple[str, ...] = ()) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"expected a table, got {type(data).__name__}", file=file, key=prefix.rstrip(".") or "(top)")
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)} - set(skip)
    for key in data:
        if key not in fields:
            raise ConfigError("unknown key", file=file, key=f"{prefix}{key}",
                              hint=f"known keys here: {', '.join(sorted(fields))}")
    values = {}
    metadata = {f.name: f.metadata for f in dataclasses.fields(cls)}
    for name in fields & set(data):
        dotted = f"{prefix}{name}"
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            values[name] = _build(typing.cast(type, hint), data[name], file, f"{dotted}.")
        else:
            values[name] = _coerce(data[name], hint, file, dotted)
            _check_value(values[name], metadata[name], file, dotted)
    return cls(**values)


def _check_value(value: Any, metadata: Any, file: Path, key: str) -> None:
    if "check" in metadata and not metadata["check"](value):
        raise ConfigValueError(f"got {value!r}", file=file, key=key, hint=f"allowed: {metadata['allowed']}")


def _coerce(value: Any, hint: Any, file: Path, key: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        item_type = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"expected a list of {item_type.__name__}", file=file, key=key)
        return tuple(_coerce(item, item_type, file, f"{key}[{i}]") for i, item in enumerate(value))
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise ConfigError(f"expected one of {', '.join(map(repr, allowed))}, got {value!r}", file=file, key=key)
        return value
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _coerce(value, option, file, key)
            except ConfigError:
                continue
        raise ConfigError(f"expected {hint}, got {type(value).__name__}", file=file, key=key)
    if hint is type(None):
        if value is not None:
            raise ConfigError("expected nothing", file=file, key=key)
        return None
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise ConfigError(f"expected {hint.__name__}, got {type(value).__name__} {value!r}", file=file, key=key)
    return value
