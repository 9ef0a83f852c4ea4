"""The text classifier: normaliser → word, stem and character n-gram TF-IDF plus a domain
lexicon → linear SVM, calibrated to probabilities (sigmoid, 2-fold).

Labels are unit types (`wadul.routing.labels`), not units, so one model serves any regency;
`UnitTypeMapping` says which unit handles each type here. The same `build_pipeline` is used
for training, cross-validation (`wadul routing_eval`) and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from wadul.routing.lexicon import LexiconFeatures
from wadul.routing.normalise import MARKS, normalise_marked
from wadul.routing.stemming import StemAnalyzer

# Feature caps keep a trained model at a few MB whatever the training set size.
MAX_WORD_FEATURES = 40_000
MAX_STEM_FEATURES = 40_000
MAX_CHAR_FEATURES = 60_000
LEXICON_WEIGHT = 0.7
STEM_WEIGHT = 1.4
CHAR_WEIGHT = 1.3


def build_pipeline() -> Pipeline:
    """An untrained pipeline. Fit with `fit_pipeline` (it passes sample weights through)."""
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regex, not a password)
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    max_features=MAX_WORD_FEATURES,
                    dtype=np.float32,
                ),
            ),
            (
                # The same matter in other affixed forms ("perbaikan", "diperbaiki"): see
                # stemming.py. Beside the words, not instead of them: stems in place of the
                # words lost 0.002 macro-F1 against stems added, in cross-validation.
                "stems",
                TfidfVectorizer(
                    analyzer=StemAnalyzer(),
                    sublinear_tf=True,
                    max_features=MAX_STEM_FEATURES,
                    dtype=np.float32,
                ),
            ),
            (
                # char_wb: n-grams inside word boundaries survive typos and joined/split
                # spellings ("gentengkulon" / "genteng kulon").
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    # 3 and 4 letters: 2-grams were a fifth of all non-zeros (training time)
                    # and added nothing in cross-validation; 5-grams, a quarter of the rest,
                    # add nothing beside the stems either (seeds 0/1/2) and their time
                    # paid for the stems'.
                    ngram_range=(3, 4),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=MAX_CHAR_FEATURES,
                    dtype=np.float32,
                ),
            ),
            # One column per unit type: domain words (see lexicon.py).
            ("lexicon", LexiconFeatures()),
        ],
        # The lexicon column is a strong hint; at full weight it overrules the n-grams on
        # texts that mention a domain word in passing ("jalan" in a complaint about a PKL).
        # 0.7 is the best of 0.5–1.0 in 5-fold cross-validation of the seed corpus.
        # Characters and stems weigh more than the words: they carry the misspelt and
        # affixed forms that the words miss. Chosen by the mean over shuffles 0–5 of 5-fold
        # cross-validation among 12 weightings (+0.0023), and confirmed on shuffles 6–9
        # that took no part in the choice (+0.0017); bench/README.md, Routing.
        transformer_weights={"stems": STEM_WEIGHT, "chars": CHAR_WEIGHT, "lexicon": LEXICON_WEIGHT},
    )
    classifier = CalibratedClassifierCV(
        # tol 1e-3: a quarter fewer solver iterations on 50,000 texts, same predictions.
        LinearSVC(C=0.5, class_weight="balanced", tol=1e-3, random_state=0),
        method="sigmoid",
        # Two folds for the calibration scores, then one fit on everything: three SVM fits
        # instead of four, the difference between ~70 s and ~45 s on 50,000 texts (issue 5
        # asks ≤ 60 s); cross-validated macro-F1 on the seed corpus moves by < 0.002.
        cv=2,
        ensemble=False,
    )
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_marked)),
            ("features", features),
            ("classifier", classifier),
        ]
    )


def fit_pipeline(
    texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None
) -> Pipeline:
    pipeline = build_pipeline()
    params = {}
    if weights is not None:
        params["classifier__sample_weight"] = np.asarray(weights, dtype=float)
    pipeline.fit(list(texts), list(labels), **params)
    return pipeline


@dataclass(frozen=True)
class Prediction:
    """Probabilities of every label for one text, best first, and the words behind the best."""

    ranked: list[tuple[str, float]]
    evidence: list[str]

    @property
    def label(self) -> str:
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        return self.ranked[0][1]

    def probability(self, label: str) -> float:
        return next((p for name, p in self.ranked if name == label), 0.0)


def predict(pipeline: Pipeline, text: str, *, evidence: int = 5) -> Prediction:
    """Classify one text and name the features that pushed most towards the winning label."""
    scorer = _scorer(pipeline)
    vector = scorer.vector(text)
    probabilities = scorer.probabilities(vector)
    order = np.argsort(probabilities)[::-1]
    ranked = [(str(scorer.classes[i]), float(probabilities[i])) for i in order]
    return Prediction(ranked=ranked, evidence=_evidence(pipeline, vector, order[0], evidence))


class _Scorer:
    """The fitted pipeline's arithmetic for one text, without scikit-learn's per-call input
    validation (which costs more than the computation itself: two TF-IDF `transform` calls
    and ~30 calibrator calls per text). The vectorizers' own analyzers, vocabularies and idf
    weights are used directly; `test_classifier` checks the result against
    `Pipeline.predict_proba`."""

    def __init__(self, pipeline: Pipeline):
        features: FeatureUnion = pipeline.named_steps["features"]
        weights = features.transformer_weights or {}
        self.parts: list[_Part] = []
        offset = 0
        for name, transformer in features.transformer_list:
            if transformer in ("drop", None):
                continue
            part = _Part(transformer, weights.get(name, 1.0), offset)
            self.parts.append(part)
            offset += part.width
        self.width = offset
        calibrated: CalibratedClassifierCV = pipeline.named_steps["classifier"]
        inner = calibrated.calibrated_classifiers_[0]
        self.classes = calibrated.classes_
        svm = inner.estimator
        self.coef_t = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)
        self.intercept = svm.intercept_
        self.a = np.array([c.a_ for c in inner.calibrators])
        self.b = np.array([c.b_ for c in inner.calibrators])
        self.exact = len(self.classes) > 2 and inner.method == "sigmoid"
        self.pipeline = pipeline
        # The pipeline's own normaliser: stored models may predate a change to it.
        self.normalise = pipeline.named_steps["normalise"].func

    def vector(self, text: str) -> sparse.csr_matrix:
        normalised = self.normalise([text])[0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for part in self.parts:
            i, v = part.row(normalised)
            indices.append(i)
            values.append(v)
        index = np.concatenate(indices)
        data = np.concatenate(values)
        return sparse.csr_matrix(
            (data, index, np.array([0, len(index)])), shape=(1, self.width), dtype=np.float64
        )

    def probabilities(self, vector: sparse.csr_matrix) -> np.ndarray:
        if not self.exact:
            return self.pipeline.named_steps["classifier"].predict_proba(vector)[0]
        scores = vector.data @ self.coef_t[vector.indices] + self.intercept
        proba = expit(-(self.a * scores + self.b))
        total = proba.sum()
        return proba / total if total else np.full_like(proba, 1 / len(proba))


class _Part:
    """One block of the feature union for one text: (column indices, values), already
    offset and weighted. TF-IDF blocks are computed from the fitted vectorizer's analyzer,
    vocabulary and idf (what `TfidfVectorizer.transform` does, minus its validation)."""

    def __init__(self, transformer, weight: float, offset: int):
        self.transformer = transformer
        self.weight = weight
        self.offset = offset
        if isinstance(transformer, TfidfVectorizer):
            self.analyzer = transformer.build_analyzer()
            self.vocabulary = transformer.vocabulary_
            self.idf = transformer.idf_.astype(np.float64) if transformer.use_idf else None
            self.sublinear = transformer.sublinear_tf
            self.norm = transformer.norm
            self.width = len(self.vocabulary)
        else:
            self.analyzer = None
            self.width = len(transformer.get_feature_names_out())

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(self.transformer, LexiconFeatures):
            found = self.transformer.counts(text)
            index = np.fromiter(sorted(found), dtype=np.int32, count=len(found))
            values = np.log1p(np.array([found[j] for j in index], dtype=np.float64))
            return index + self.offset, values * self.weight
        if self.analyzer is None:
            block = self.transformer.transform([text]).tocsr()
            return block.indices + self.offset, block.data.astype(np.float64) * self.weight
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for feature in self.analyzer(text):
            j = vocabulary.get(feature)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0)
        index = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        values = np.array([counts[j] for j in index], dtype=np.float64)
        if self.sublinear:
            values = np.log(values) + 1
        if self.idf is not None:
            values *= self.idf[index]
        if self.norm == "l2":
            values /= np.sqrt(values @ values)
        elif self.norm == "l1":
            values /= np.abs(values).sum()
        return index + self.offset, values * self.weight


def _scorer(pipeline: Pipeline) -> _Scorer:
    scorer = getattr(pipeline, "_wadul_scorer", None)
    if scorer is None:
        scorer = _Scorer(pipeline)
        pipeline._wadul_scorer = scorer
    return scorer


def _evidence(pipeline: Pipeline, vector: sparse.csr_matrix, class_index: int, n: int) -> list[str]:
    if n <= 0 or vector.nnz == 0:
        return []
    svm: LinearSVC = pipeline.named_steps["classifier"].calibrated_classifiers_[0].estimator
    coef = svm.coef_[class_index] if svm.coef_.shape[0] > 1 else svm.coef_[0]
    row = vector.tocsr()
    contributions = row.data * coef[row.indices]
    best = np.argsort(contributions)[::-1][: n * 3]
    names = _feature_names(pipeline)
    words: list[str] = []
    fragments: list[str] = []
    for i in best:
        if contributions[i] <= 0:
            break
        kind, _, feature = names[row.indices[i]].partition("__")
        # Whole words explain a decision to an operator; character n-grams only when no
        # word did (a typo'd text); the lexicon column says nothing new.
        if kind == "words":
            # "?" and "!" are words to the model ("qmark"), marks to a reader.
            feature = " ".join(MARKS.get(word, word) for word in feature.split())
            if feature not in words:
                words.append(feature)
        elif kind == "chars" and len(feature.strip()) >= 4:
            fragments.append(feature.strip())
    return (words or fragments)[:n]


def _feature_names(pipeline: Pipeline) -> np.ndarray:
    cached = getattr(pipeline, "_wadul_feature_names", None)
    if cached is None:
        cached = pipeline.named_steps["features"].get_feature_names_out()
        pipeline._wadul_feature_names = cached
    return cached


def transform(pipeline: Pipeline, texts: Sequence[str]) -> sparse.csr_matrix:
    """TF-IDF vectors (L2-normalised per part) of texts: for similarity between cases."""
    normalised = pipeline.named_steps["normalise"].transform(list(texts))
    return pipeline.named_steps["features"].transform(normalised).tocsr()
