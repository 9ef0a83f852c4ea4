"""The classifier on seed examples it was not trained on (every 6th per unit type)."""

from __future__ import annotations

import io
from collections import Counter

import joblib
import numpy as np
import pytest
from sklearn.preprocessing import FunctionTransformer

from wadul.routing import classifier, training
from wadul.routing.labels import UnitType
from wadul.routing.lexicon import LEXICON, LEXICON_CSV, LexiconFeatures, load_lexicon
from wadul.routing.normalise import normalise_many
from wadul.routing.stemming import StemAnalyzer, stem
from wadul.routing.tests.conftest import split_seed
from wadul.routing.training import title_form


def test_the_seed_corpus_covers_every_unit_type_with_40_distinct_examples():
    train, held_out = split_seed()
    examples = train + held_out
    counts = Counter(e.label for e in examples)
    assert set(counts) == set(UnitType.values)
    assert min(counts.values()) >= 40
    assert len({e.text.lower() for e in examples}) == len(examples)


def _pipeline(model):
    return joblib.load(io.BytesIO(bytes(model.artifact)))["pipeline"]


def test_held_out_seed_examples_are_routed_to_their_unit_type(model):
    pipeline = _pipeline(model)
    _, held_out = split_seed()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for example in held_out:
        total[example.label] += 1
        right[example.label] += classifier.predict(pipeline, example.text).label == example.label
    overall = sum(right.values()) / sum(total.values())
    assert overall >= 0.8, overall
    weak = {
        label: f"{right[label]}/{total[label]}"
        for label in total
        if right[label] / total[label] < 0.4
    }
    assert not weak, weak  # every unit type gets most of its held-out texts right or close


def test_prediction_names_the_words_that_decided(model):
    pipeline = _pipeline(model)
    prediction = classifier.predict(pipeline, "lampu PJU di gang kami mati sudah seminggu")
    assert prediction.label == UnitType.STREET_LIGHTING_DRAINAGE
    assert 0 < prediction.confidence <= 1
    assert {"lampu", "pju"} & set(prediction.evidence)
    # A question mark is a feature ("qmark" to the model), shown to the operator as "?".
    question = classifier.predict(pipeline, "izin?")
    assert {"?", "izin ?"} & set(question.evidence)
    assert not [e for e in question.evidence if "qmark" in e]


def test_the_fast_single_text_path_gives_scikit_learns_probabilities(model):
    pipeline = _pipeline(model)
    texts = [
        "lampu PJU mati di Rogojampi",
        "tanah saya diserobot tetangga",
        "p",
        "",
        "jln berlubang2 depan kantor kecamatan, tlg!! 0812-3456-7890 https://x.id/a",
        "qwxz zzkq",  # nothing in any vocabulary
    ]
    for text in texts:
        expected = pipeline.predict_proba([text])[0]
        got = classifier.predict(pipeline, text)
        for label, p in got.ranked:
            index = list(pipeline.classes_).index(label)
            assert abs(p - expected[index]) < 1e-6


def test_the_fast_path_follows_the_normaliser_of_a_stored_model(model):
    # Models stored before "?" and "!" became words normalise with `normalise_many`.
    pipeline = _pipeline(model)
    pipeline.steps[0] = ("normalise", FunctionTransformer(normalise_many))
    expected = pipeline.predict_proba(["izin usaha syaratnya apa??"])[0]
    got = dict(classifier.predict(pipeline, "izin usaha syaratnya apa??").ranked)
    for index, label in enumerate(pipeline.classes_):
        assert abs(got[label] - expected[index]) < 1e-6


def test_affixed_forms_of_a_word_share_one_stem_feature(model):
    assert StemAnalyzer()("jalan berlubang diperbaiki") == ["jalan", "lubang", "baik"]
    hits = stem.cache_info().hits
    assert stem("diperbaiki") == "baik"
    assert stem.cache_info().hits == hits + 1  # Sastrawi runs once per distinct word
    pipeline = _pipeline(model)
    column = list(pipeline.named_steps["features"].get_feature_names_out()).index("stems__baik")
    vectors = classifier.transform(pipeline, ["perbaikan", "diperbaiki", "memperbaiki", "jalan"])
    # One stem feature for all three forms (each a unit vector, times the block's weight).
    assert (
        vectors[:, column].toarray().ravel().tolist()[:3]
        == [pytest.approx(classifier.STEM_WEIGHT)] * 3
    )
    assert vectors[3, column] == 0


def test_the_lexicon_counts_each_unit_types_words_and_phrases():
    lexicon = LexiconFeatures(
        {"roads": ("jalan rusak", "aspal", "lubang"), "transport": ("bus", "lampu merah")}
    ).fit([])
    roads, transport = lexicon.labels_.index("roads"), lexicon.labels_.index("transport")
    text = "jalan rusak dan diaspal ulang lubang di halte bus busway lampu merah"
    # "aspal" (5 letters) matches inside "diaspal"; "bus" (short) only as a whole word.
    assert lexicon.counts(text) == {roads: 3, transport: 2}
    assert lexicon.counts(text) == {roads: 3, transport: 2}  # again, from the word cache
    row = lexicon.transform([text, "tidak ada apa apa"]).toarray()
    assert row[0, roads] == pytest.approx(np.log1p(3))
    assert not row[1].any()


def test_seed_texts_are_also_learnt_as_short_titles_but_spam_is_not():
    assert title_form("Pak, jalan depan SD Kemiren berlubang parah, sudah 2 bulan") == (
        "jalan depan SD Kemiren berlubang parah"
    )
    assert title_form("Jalan rusak") == ""  # already short
    seed = [
        training.Example("tolong, lampu PJU di gang mawar mati sejak seminggu lalu", "roads"),
        training.Example("slot gacor hari ini maxwin daftar sekarang juga bonus", "spam"),
    ]
    [title] = training.title_examples(seed)
    assert (title.text, title.label, title.weight) == (
        "lampu PJU di gang mawar mati",
        "roads",
        training.TITLE_WEIGHT,
    )


def test_the_lexicon_is_read_from_its_csv_file_in_order(tmp_path):
    assert load_lexicon(LEXICON_CSV) == LEXICON
    assert LEXICON["roads"][:2] == ("jalan rusak", "berlubang")
    path = tmp_path / "lexicon.csv"
    path.write_text("label,term\nroads,makadam\nspam,gacor\nroads,aspal\nroads, \n")
    assert load_lexicon(path) == {"roads": ("makadam", "aspal"), "spam": ("gacor",)}
