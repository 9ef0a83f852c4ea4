"""Stratified k-fold cross-validation of the production pipeline on any labelled texts, and
the same pipeline trained on one set and measured on another (a held-out real source).

Beside the classifier's own figures (per unit type, accuracy, macro-F1), `Routed` measures what
the router as a whole would do with each text, without a database: the request kind first
(`intent.classify_intent`), spam only when sure (`intent.settle_spam`), and the thresholds of
the settings: how many genuine complaints get the right unit type, spam precision and recall,
the share left to the operator, and how often the request kind is right.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from wadul.routing.classifier import build_pipeline, fit_pipeline
from wadul.routing.intent import Intent, classify_intent, settle_spam
from wadul.routing.labels import UnitType


@dataclass
class Evaluation:
    labels: list[str]
    precision: list[float]
    recall: list[float]
    f1: list[float]
    support: list[int]
    accuracy: float
    macro_f1: float
    folds: int

    def report(self) -> str:
        width = max(len(label) for label in self.labels)
        lines = [f"{'label':<{width}}  precision  recall     f1  support"]
        for i, label in enumerate(self.labels):
            lines.append(
                f"{label:<{width}}  {self.precision[i]:9.3f}  {self.recall[i]:6.3f}"
                f"  {self.f1[i]:5.3f}  {self.support[i]:7d}"
            )
        lines.append(f"accuracy={self.accuracy:.3f} macro_f1={self.macro_f1:.3f}")
        return "\n".join(lines)


@dataclass
class Routed:
    """What the router would do with labelled texts (see the module docstring)."""

    texts: int
    complaints: int
    routed_right: float
    routed_right_auto: float
    spam_precision: float
    spam_recall: float
    spam_called: int
    rejected_precision: float
    rejected: int
    triage_share: float
    intent_accuracy: float
    macro_f1: float
    accuracy: float

    def report(self) -> str:
        return (
            f"router: {self.texts} texts, {self.complaints} genuine complaints\n"
            f"complaints_right={self.routed_right:.3f} "
            f"complaints_right_and_assigned={self.routed_right_auto:.3f}\n"
            f"spam_precision={self.spam_precision:.3f} spam_recall={self.spam_recall:.3f} "
            f"(called spam: {self.spam_called}; rejected unseen: {self.rejected}, "
            f"precision {self.rejected_precision:.3f})\n"
            f"triage_share={self.triage_share:.3f} intent_accuracy={self.intent_accuracy:.3f}\n"
            f"routed_accuracy={self.accuracy:.3f} routed_macro_f1={self.macro_f1:.3f}"
        )


def read_csv(path: Path | str, text_column: str, label_column: str) -> tuple[list, list]:
    rows = _rows(path, text_column, label_column)
    return [r[text_column] for r in rows], [r[label_column] for r in rows]


def read_intents(
    path: Path | str, text_column: str, label_column: str, intent_column: str
) -> list[str]:
    """The request kind of each row: its `intent_column` when the file has one, else complaint
    for every unit type and spam for spam."""
    rows = _rows(path, text_column, label_column)
    return [(r.get(intent_column) or "").strip() or _default_intent(r[label_column]) for r in rows]


def _rows(path: Path | str, text_column: str, label_column: str) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path} has no column {', '.join(sorted(missing))}")
        rows = []
        for row in reader:
            text, label = (row[text_column] or "").strip(), (row[label_column] or "").strip()
            if text and label:
                rows.append({**row, text_column: text, label_column: label})
    return rows


def _default_intent(label: str) -> str:
    return Intent.SPAM if label == UnitType.SPAM else Intent.COMPLAINT


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    intents: Sequence[str] | None = None,
) -> tuple[Evaluation, Routed]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    probabilities = cross_val_predict(
        build_pipeline(), list(texts), list(labels), cv=splitter, method="predict_proba"
    )
    classes = np.array(sorted(set(labels)))
    evaluation = _evaluation(labels, list(classes[probabilities.argmax(axis=1)]), folds)
    return evaluation, routed(texts, labels, classes, probabilities, intents)


def held_out(
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    train_weights: Sequence[float] | None = None,
    intents: Sequence[str] | None = None,
) -> tuple[Evaluation, Routed]:
    """Train on one set, measure on another that took no part in training."""
    pipeline = fit_pipeline(train_texts, train_labels, train_weights)
    probabilities = pipeline.predict_proba(list(texts))
    classes = pipeline.classes_
    evaluation = _evaluation(labels, list(classes[probabilities.argmax(axis=1)]), 0)
    return evaluation, routed(texts, labels, classes, probabilities, intents)


def _evaluation(labels: Sequence[str], predicted: Sequence[str], folds: int) -> Evaluation:
    names = sorted(set(labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=names, zero_division=0
    )
    return Evaluation(
        labels=names,
        precision=list(precision),
        recall=list(recall),
        f1=list(f1),
        support=[int(s) for s in support],
        accuracy=float(accuracy_score(labels, predicted)),
        macro_f1=float(f1_score(labels, predicted, labels=names, average="macro", zero_division=0)),
        folds=folds,
    )


def routed(
    texts: Sequence[str],
    labels: Sequence[str],
    classes: np.ndarray,
    probabilities: np.ndarray,
    intents: Sequence[str] | None = None,
) -> Routed:
    """The router's first stage and spam guard applied to each text's probabilities."""
    intents = list(intents) if intents is not None else [_default_intent(x) for x in labels]
    threshold = settings.ROUTING_CONFIDENCE_THRESHOLD
    reject = settings.ROUTING_SPAM_REJECT_THRESHOLD
    final, triage, intent_right = [], 0, 0
    rejected = rejected_right = 0
    right = right_auto = complaints = 0
    for text, label, wanted, row in zip(texts, labels, intents, probabilities, strict=True):
        order = np.argsort(row)[::-1]
        ranked = [(str(classes[i]), float(row[i])) for i in order]
        intent = classify_intent(text)
        chosen, confidence, _ = settle_spam(ranked, intent)
        # The router's request kind: the first stage's, or spam when the classifier's spam
        # survived the guard.
        kind = Intent.SPAM if chosen == UnitType.SPAM else intent.kind
        intent_right += kind == wanted
        final.append(chosen)
        other_kind = intent.is_sure and intent.kind not in (Intent.COMPLAINT, Intent.SPAM)
        if chosen == UnitType.SPAM:
            to_operator = confidence < reject
            rejected += not to_operator
            rejected_right += not to_operator and label == UnitType.SPAM
        else:
            to_operator = other_kind or confidence < threshold
        triage += to_operator
        if label != UnitType.SPAM and wanted == Intent.COMPLAINT:
            complaints += 1
            right += chosen == label
            right_auto += chosen == label and not to_operator
    called = [f == UnitType.SPAM for f in final]
    truly = [x == UnitType.SPAM for x in labels]
    hits = sum(c and t for c, t in zip(called, truly, strict=True))
    names = sorted(set(labels))
    n = len(labels) or 1
    return Routed(
        texts=len(labels),
        complaints=complaints,
        routed_right=right / (complaints or 1),
        routed_right_auto=right_auto / (complaints or 1),
        spam_precision=hits / sum(called) if any(called) else 1.0,
        spam_recall=hits / sum(truly) if any(truly) else 1.0,
        spam_called=sum(called),
        rejected_precision=rejected_right / rejected if rejected else 1.0,
        rejected=rejected,
        triage_share=triage / n,
        intent_accuracy=intent_right / n,
        macro_f1=float(f1_score(labels, final, labels=names, average="macro", zero_division=0)),
        accuracy=float(accuracy_score(labels, final)),
    )
