"""The text classifier: normaliser → word and character n-gram TF-IDF plus a domain lexicon →
linear SVM, calibrated to probabilities (sigmoid, 3-fold).

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
from wadul.routing.normalise import normalise, normalise_many

# Feature caps keep a trained model at a few MB whatever the training set size.
MAX_WORD_FEATURES = 40_000
MAX_CHAR_FEATURES = 60_000


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
                # char_wb: n-grams inside word boundaries survive typos and joined/split
                # spellings ("gentengkulon" / "genteng kulon").
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=MAX_CHAR_FEATURES,
                    dtype=np.float32,
                ),
            ),
            # One column per unit type: domain words (see lexicon.py).
            ("lexicon", LexiconFeatures()),
        ]
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=0.5, class_weight="balanced", random_state=0),
        method="sigmoid",
        cv=3,
        ensemble=False,
    )
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_many)),
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
    validation (which costs more than the computation: ~30 calls for 36 calibrators).
    `test_classifier` checks it against `Pipeline.predict_proba`."""

    def __init__(self, pipeline: Pipeline):
        features: FeatureUnion = pipeline.named_steps["features"]
        weights = features.transformer_weights or {}
        self.parts = [
            (transformer, weights.get(name, 1.0))
            for name, transformer in features.transformer_list
            if transformer not in ("drop", None)
        ]
        calibrated: CalibratedClassifierCV = pipeline.named_steps["classifier"]
        inner = calibrated.calibrated_classifiers_[0]
        self.classes = calibrated.classes_
        svm = inner.estimator
        self.coef_t = np.ascontiguousarray(svm.coef_.T)
        self.intercept = svm.intercept_
        self.a = np.array([c.a_ for c in inner.calibrators])
        self.b = np.array([c.b_ for c in inner.calibrators])
        self.exact = len(self.classes) > 2 and inner.method == "sigmoid"
        self.pipeline = pipeline

    def vector(self, text: str) -> sparse.csr_matrix:
        normalised = [normalise(text)]
        blocks = [t.transform(normalised) * w for t, w in self.parts]
        return sparse.hstack(blocks, format="csr")

    def probabilities(self, vector: sparse.csr_matrix) -> np.ndarray:
        if not self.exact:
            return self.pipeline.named_steps["classifier"].predict_proba(vector)[0]
        scores = np.asarray(vector @ self.coef_t).ravel() + self.intercept
        proba = expit(-(self.a * scores + self.b))
        total = proba.sum()
        return proba / total if total else np.full_like(proba, 1 / len(proba))


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
        if kind == "words" and feature not in words:
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
