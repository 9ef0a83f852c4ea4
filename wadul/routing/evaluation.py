"""Stratified k-fold cross-validation of the production pipeline on any labelled texts."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from wadul.routing.classifier import build_pipeline


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


def read_csv(path: Path | str, text_column: str, label_column: str) -> tuple[list, list]:
    texts, labels = [], []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path} has no column {', '.join(sorted(missing))}")
        for row in reader:
            text, label = (row[text_column] or "").strip(), (row[label_column] or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    return texts, labels


def cross_validate(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> Evaluation:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(build_pipeline(), list(texts), list(labels), cv=splitter)
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
        macro_f1=float(f1_score(labels, predicted, labels=names, average="macro")),
        folds=folds,
    )
