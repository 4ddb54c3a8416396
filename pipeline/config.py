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
from pathlib import Path
from typing import Any

import tomli_w

from pipeline.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "configs" / "reduksi.toml"


@dataclass(frozen=True)
class IngestConfig:
    interviewer_labels: tuple[str, ...] = ("P", "Peneliti", "Pewawancara", "Penanya", "Interviewer", "Moderator")
    roles: tuple[str, ...] = ("kepala_sekolah", "guru", "pengawas", "komite", "siswa", "orang_tua", "lainnya")
    # Words that look like "Label:" but open header lines, not speaker turns.
    header_keys: tuple[str, ...] = ("Tanggal", "Hari", "Waktu", "Tempat", "Lokasi", "Durasi", "Judul", "Topik",
                                    "Catatan", "Kode", "Informan ID", "Jabatan", "Sekolah")
    max_label_words: int = 4
    progress_min_files: int = 10


@dataclass(frozen=True)
class ExcerptConfig:
    max_words: int = 150  # longer turns are split at sentence boundaries into windows of about this size


@dataclass(frozen=True)
class LanguageConfig:
    backend: str = "spacy"  # "spacy" (default) or "stanza" (needs the [stanza] extra and a model folder)
    stanza_model_dir: str = ""  # stanza's Indonesian models: a folder holding id/ (configs/language/README.md)
    stanza_package: str = ""  # which model to use when the folder holds several per processor, e.g. "gsd"
    lexicon: str = ""  # extra normalisation lexicon (informal<TAB>standard<TAB>kind), over the packaged one
    stop_words_add: tuple[str, ...] = ()
    stop_words_keep: tuple[str, ...] = ()  # words never treated as stop words


@dataclass(frozen=True)
class SuggestConfig:
    codebook: str = "configs/codebook.yaml"
    model: str = "models/gugus3-2"  # a model folder (models/NAME-N, trained on the demo gold); "": codebook only
    top_k: int = 3
    min_score: float = 0.2  # floor under every per-code threshold: nothing weaker is shown
    lemma_backend: str = "spacy"  # tokenizer backend whose lemmas feed the features (recorded in the model card)
    n_reasons: int = 3  # terms of the excerpt shown with each suggestion
    use_context: bool = True  # the interviewer's preceding question as a feature
    blend_k: float = 10.0  # model weight for a code = n / (n + blend_k), n = its verified examples
    min_positive: int = 5  # verified examples a code needs before a model is trained for it
    cv_folds: int = 5  # folds for calibration/thresholds in train and for `reduksi evaluate` (grouped by informant)


@dataclass(frozen=True)
class ClusterConfig:
    vectors: str = "lsa"  # "lsa" (TF-IDF over content lemmas -> truncated SVD) or "use-m3" (extra: dense)
    svd_components: int = 30
    min_df: int = 1
    method: typing.Literal["kmeans", "hdbscan"] = "kmeans"
    n_clusters: int = 0  # kmeans: 0 chooses k in [k_min, k_max] by mean silhouette; > 0 fixes k
    k_min: int = 3
    k_max: int = 15
    min_cluster_size: int = 5  # hdbscan; kmeans never tries a k whose mean cluster would be smaller
    seed: int = 42
    label_terms: int = 8
    central_excerpts: int = 3
    confident_probability: float = 0.5  # a suggestion at or above this counts as a confident code
    new_theme_min_uncoded: float = 0.5  # a cluster with a larger share of uncoded excerpts is a candidate theme
    split_min_share: float = 0.2  # a cluster holding this share of a code's excerpts (and >= split_min_excerpts)
    split_min_excerpts: int = 3
    map: typing.Literal["auto", "pca", "tsne"] = "auto"  # auto: t-SNE up to 2,000 excerpts, PCA beyond


@dataclass(frozen=True)
class ReviewConfig:
    # Queue order: usefulness = weighted sum of these three scores, each in [0, 1].
    uncertainty_weight: float = 1.0  # a code's probability close to its threshold
    disagreement_weight: float = 0.0  # codebook-only and trained suggestions differ (hurt on the HoASA bench)
    rarity_weight: float = 0.5  # likely holds a code with few verified examples
    diversity_clusters: int = 25  # round-robin over this many k-means clusters of the candidates (0: off)
    # Terminal review: every this many decisions, refit a session suggester on the verified labels and re-rank what
    # is left (0: never). Only the order changes; the suggestions shown stay those of the model in use.
    requeue_every: int = 10
    bootstrap: int = 1000  # resamples of excerpts for agreement confidence intervals
    confidence: float = 0.95
    seed: int = 42  # bootstrap and double-coding samples, and the queue's k-means clusters
    overlap: float = 0.2  # share of an assignment round coded by two reviewers
    promote_metric: typing.Literal["micro_f1", "macro_f1"] = "micro_f1"
    promote_tolerance: float = 0.0  # a new model is "not worse" when new >= old - tolerance (percentage points)


@dataclass(frozen=True)
class DisplayConfig:
    framework_excerpts: int = 2  # excerpts shown per cell of the framework matrix (the strongest first)
    framework_chars: int = 240  # each shortened to at most this many characters


@dataclass(frozen=True)
class ExportConfig:
    lang: typing.Literal["id", "en"] = "id"  # labels of the CSV headers, workbook sheets and HTML report
    run_formats: tuple[str, ...] = ("csv", "xlsx", "html")  # what `reduksi run` writes (also: qdpx, qdc)


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
    root: str = str(REPO_ROOT)  # not read from the file: where relative paths start
    source: str = ""  # the file this config came from

    def path(self, value: str) -> Path:
        """Resolve a path given in config against the project root."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() else Path(self.root) / candidate


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate a config file; with no path, the repository's `configs/reduksi.toml` if present."""
    file = Path(path) if path else DEFAULT_CONFIG
    if path is None and not file.exists():
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=file) from None
    root = file.resolve().parent.parent if file.resolve().parent.name == "configs" else file.resolve().parent
    sections = _build(Config, data, file, "", skip=("root", "source"))
    return dataclasses.replace(sections, root=str(root), source=str(file))


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
    for name in fields & set(data):
        dotted = f"{prefix}{name}"
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            values[name] = _build(typing.cast(type, hint), data[name], file, f"{dotted}.")
        else:
            values[name] = _coerce(data[name], hint, file, dotted)
    return cls(**values)


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
