"""The code suggester: scikit-learn contract, suggestions with ranks, origins and reasons, cold start, blending."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from pipeline.config import SuggestConfig
from pipeline.suggest import COLUMNS, CodeSuggester, codebook_profiles, run
from pipeline.suggest.explain import merge, question_terms, terms
from pipeline.suggest.features import ExcerptFeatures, Lemmatizer
from tests.suggest_fixtures import codebook, indicator, labelled_excerpts


@pytest.fixture(scope="session")
def data() -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    return labelled_excerpts()


@pytest.fixture(scope="session")
def fitted(data) -> CodeSuggester:  # type: ignore[no-untyped-def]
    excerpts, labels = data
    book = codebook()
    return CodeSuggester(codes=codebook_profiles(book), codebook_version=book.version, cv=3).fit(
        excerpts, labels, groups=excerpts["informant"])


def test_clone_and_params_round_trip() -> None:
    book = codebook()
    model = CodeSuggester(codes=codebook_profiles(book), C=0.25, char_ngram_range=(3, 4))
    copy = clone(model)
    assert copy is not model and copy.get_params() == model.get_params()
    params = model.get_params()
    other = CodeSuggester().set_params(**params)
    assert other.get_params() == params
    assert clone(ExcerptFeatures(context_weight=0.3)).get_params()["context_weight"] == 0.3


def test_fit_keeps_params_and_clone_drops_learned_state(fitted: CodeSuggester) -> None:
    assert fitted.C == 0.5 and fitted.cv == 3  # fit does not rewrite parameters
    fresh = clone(fitted)
    assert not hasattr(fresh, "thresholds_")
    with pytest.raises(NotFittedError):
        fresh.predict(["kelasnya ribut"])


@pytest.mark.parametrize("method", ["predict", "predict_proba", "suggest"])
def test_not_fitted_error(method: str) -> None:
    with pytest.raises(NotFittedError):
        getattr(CodeSuggester(), method)(["aturan kelas"])


def test_invalid_params_fail_in_fit(data) -> None:  # type: ignore[no-untyped-def]
    excerpts, labels = data
    with pytest.raises(ValueError, match="C must be"):
        CodeSuggester(C=0).fit(excerpts, labels)
    with pytest.raises(ValueError, match="unknown code 'UJI-LAIN'"):
        CodeSuggester(codes=codebook_profiles(codebook())).fit(excerpts.iloc[:1], [("UJI-LAIN",)])


def test_probabilities_and_predictions(fitted: CodeSuggester, data) -> None:  # type: ignore[no-untyped-def]
    excerpts, labels = data
    probabilities = fitted.predict_proba(excerpts)
    assert probabilities.shape == (len(excerpts), 3) and ((probabilities >= 0) & (probabilities <= 1)).all()
    assert list(fitted.codes_) == list(codebook().ids)
    predicted = fitted.predict(excerpts)
    gold = indicator(labels, codebook().ids)
    assert (predicted == gold).mean() > 0.9  # training data: it must at least fit it
    assert fitted.weights_.min() > 0.5  # every code has enough labels for the model to lead


def test_suggestions_are_ranked_with_reasons_from_the_text(fitted: CodeSuggester) -> None:
    texts = ["Kelasnya ribut banget, jadi saya pakai tepuk diam dan aturan kelas.",
             "Jadwal KKG bentrok dengan rapat dinas, alat peraga dari kardus bekas juga belum jadi."]
    first, second = fitted.suggest(texts, top_k=3)
    assert first[0].code == "UJI-KELAS" and first[0].rank == 1
    assert {s.code for s in second} >= {"UJI-JADWAL", "UJI-MEDIA"}
    for found, text in ((first, texts[0]), (second, texts[1])):
        assert [s.rank for s in found] == list(range(1, len(found) + 1))
        assert [s.probability for s in found] == sorted((s.probability for s in found), reverse=True)
        for suggestion in found:
            assert suggestion.origin in ("codebook", "model", "both")
            assert 1 <= len(suggestion.reasons) <= 3
            for reason in suggestion.reasons:  # every reason is written in the excerpt
                assert all(word in text.lower() for word in reason.split()), reason


def test_no_code_when_nothing_passes(fitted: CodeSuggester) -> None:
    [found] = fitted.suggest(["Motor saya mogok di jalan, cuacanya panas."])
    assert found == []
    assert fitted.predict(["Motor saya mogok di jalan, cuacanya panas."]).sum() == 0


def test_top_k_and_min_score(fitted: CodeSuggester) -> None:
    text = ["Jadwal KKG bentrok dengan rapat dinas, alat peraga kardus bekas, kelasnya ribut jadi tepuk diam."]
    assert len(fitted.suggest(text, top_k=1)[0]) == 1
    assert fitted.suggest(text, top_k=3, min_score=1.0)[0] == []


def test_question_words_are_never_reasons_but_are_shown_apart(fitted: CodeSuggester) -> None:
    weights = {"q:jadwal": 0.4, "w:rapat": 0.3}
    assert terms(weights, [("rapatnya", "rapat")]) == {"rapatnya": 0.3}
    assert question_terms(weights) == {"jadwal": 0.4}
    frame = pd.DataFrame({"text": ["Ya begitulah, Pak, kadang diundur juga."],
                          "context": ["Bagaimana jadwal pertemuan KKG, sering bentrok dengan rapat dinas?"]})
    for suggestion in fitted.suggest(frame, top_k=3, min_score=0.0)[0]:
        for reason in suggestion.reasons:  # highlighted terms come from the informant's words only
            assert all(word in frame["text"][0].lower() for word in reason.split()), reason
        assert all(term in {"jadwal", "temu", "bentrok", "rapat", "dinas", "kkg", "sering"}
                   or term in frame["context"][0].lower() for term in suggestion.context_reasons)


def test_char_ngram_credit_goes_to_the_words_holding_it() -> None:
    found = terms({"c:ribu": 1.0, "w:aturan kelas": 0.5}, [("ribut", "ribut"), ("aturan", "aturan"),
                                                            ("kelasnya", "kelas")])
    assert found == {"ribut": 1.0, "aturan kelasnya": 0.5}
    assert merge([({"aturan kelas": 2.0, "aturan": 1.0, "ribut": 0.5}, 1.0)], 2) == ["aturan kelas", "ribut"]


def test_lemmatizer_skips_annotations_and_stop_words() -> None:
    words = Lemmatizer().words("Saya [tertawa] pakai alat peraga dan kardus (jeda) bekas.")
    surfaces = [w for w, _ in words]
    assert "tertawa" not in surfaces and "jeda" not in surfaces
    assert {"alat", "peraga", "kardus", "bekas"} <= set(surfaces)
    assert "dan" not in surfaces  # a stop word carries no theme


def test_precomputed_lemmas_skip_the_lemmatizer(fitted: CodeSuggester) -> None:
    text = "aturan kelas ditempel dan siswa tertib"
    frame = pd.DataFrame({"text": [text]})
    lemmas = Lemmatizer().lemma_text(text)
    given = fitted.predict_proba(frame.assign(lemmas=lemmas, context_lemmas=""))
    assert np.allclose(given, fitted.predict_proba(frame))


def test_cold_start_uses_the_codebook_alone() -> None:
    book = codebook()
    excerpts = pd.DataFrame({"excerpt_id": [1, 2, 3], "key": ["W-A:001", "W-A:002", "W-A:003"],
                             "text": ["Kelasnya ribut, jadi saya pakai tepuk diam.",
                                      "Pertemuannya tiap hari Sabtu, kadang bentrok dengan rapat dinas.",
                                      "Motor saya mogok kemarin."],
                             "context": [None, "Kapan KKG diadakan?", None]})
    frame = run(excerpts, book, SuggestConfig())
    assert list(frame.columns) == COLUMNS
    assert set(frame["origin"]) == {"codebook"} and set(frame["model_version"]) == {f"codebook-{book.version}"}
    best = frame[frame["rank"] == 1].set_index("key")["code"].to_dict()
    assert best == {"W-A:001": "UJI-KELAS", "W-A:002": "UJI-JADWAL"}  # and nothing for the off-topic one
    assert all(isinstance(r, list) and r for r in frame["reasons"])


def test_blend_moves_from_codebook_to_model_as_labels_accumulate(data) -> None:  # type: ignore[no-untyped-def]
    excerpts, labels = data
    book = codebook()
    template = CodeSuggester(codes=codebook_profiles(book), cv=3, min_positive=5)
    few = clone(template).fit(excerpts.iloc[:8], labels[:8])
    many = clone(template).fit(excerpts, labels)
    assert (few.weights_ == 0).all()  # under min_positive: the codebook decides alone
    assert (many.weights_ > 0.5).all()
    text = ["aturan kelas ditempel, siswa ribut jadi tepuk diam"]
    assert {s.origin for s in few.suggest(text)[0]} == {"codebook"}
    assert {s.origin for s in many.suggest(text)[0]} <= {"model", "both"}


def test_stage_rejects_a_frame_without_ids() -> None:
    from pipeline.errors import ModelError

    with pytest.raises(ModelError, match="excerpt_id"):
        run(pd.DataFrame({"text": ["x"]}), codebook(), SuggestConfig())
    empty = run(pd.DataFrame(columns=["excerpt_id", "key", "text"]), codebook(), SuggestConfig())
    assert list(empty.columns) == COLUMNS and empty.empty


def test_stage_with_a_trained_model(fitted: CodeSuggester, data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.suggest import SuggestModel

    excerpts, _ = data
    model = SuggestModel("uji-1", tmp_path, fitted, {"codebook_version": codebook().version})
    config = dataclasses.replace(SuggestConfig(), top_k=2)
    frame = run(excerpts, codebook(), config, model)
    assert set(frame["model_version"]) == {"uji-1"}
    assert frame.groupby("excerpt_id")["rank"].max().max() <= 2
    assert (frame["probability"] >= config.min_score).all()


def test_features_fit_transform_matches_fit_then_transform(data) -> None:  # type: ignore[no-untyped-def]
    excerpts, _ = data
    features = ExcerptFeatures()
    together = features.fit_transform(excerpts)
    assert abs(together - features.transform(excerpts)).max() == 0
    names = features.get_feature_names_out()
    assert len(names) == together.shape[1] and {n[:2] for n in names} == {"w:", "c:", "q:"}


def test_char_ngrams_match_scikit_learn_and_survive_persistence(data) -> None:  # type: ignore[no-untyped-def]
    import pickle

    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.suggest.features import clean_text
    from pipeline.suggest.ngrams import CharNgrams

    excerpts, _ = data
    texts = [clean_text(t) for t in excerpts["text"]]
    unseen = ["a b kelasnya ributt!", "", "jadwal—bentrok [tertawa] lagi"]
    ours = CharNgrams((2, 5))
    ours.fit_transform(texts)
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts)
    expected = reference.transform([clean_text(t) for t in unseen])
    assert abs(ours.transform([clean_text(t) for t in unseen]) - expected).max() < 1e-6
    copy = pickle.loads(pickle.dumps(ours))  # same state protocol as skops
    assert copy._cache == {} and copy.vocabulary == ours.vocabulary  # the cache is never persisted
    assert abs(copy.transform(texts) - ours.transform(texts)).max() == 0


def test_codes_too_rare_to_tune_share_one_fitted_threshold(data) -> None:  # type: ignore[no-untyped-def]
    """With a few reviews, the codebook calibration is refitted on them; its honest probabilities must still be
    able to pass (before, every code kept the default 0.5 and no suggestion was shown at all)."""
    excerpts, labels = data
    book = codebook()
    few = CodeSuggester(codes=codebook_profiles(book), cv=3, min_positive=10).fit(excerpts.iloc[:14], labels[:14])
    assert (few.n_positive_ < 10).all() and few.prior_calibration_ != (7.0, -6.3)
    assert len(set(few.thresholds_)) == 1 and few.thresholds_[0] != few.default_threshold
    suggested = few.predict(excerpts.iloc[14:])
    Y = indicator(labels[14:], tuple(c.id for c in book.codes))
    assert suggested.sum() > 0 and (suggested & Y).sum() / suggested.sum() > 0.5


def test_unlabelled_excerpts_only_add_word_statistics(data) -> None:  # type: ignore[no-untyped-def]
    excerpts, labels = data
    book = codebook()
    template = CodeSuggester(codes=codebook_profiles(book), cv=3)
    alone = clone(template).fit(excerpts.iloc[:20], labels[:20])
    helped = clone(template).fit(excerpts.iloc[:20], labels[:20], unlabelled=excerpts.iloc[20:])
    assert (helped.n_positive_ == alone.n_positive_).all() and helped.n_samples_ == alone.n_samples_ == 20
    assert len(helped.prior_.vectorizer.vocabulary_) > len(alone.prior_.vectorizer.vocabulary_)
