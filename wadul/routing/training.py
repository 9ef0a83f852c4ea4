"""Training data (seed corpus + operators' decisions), training, and the active model.

Operators' decisions are the case events where an official (not the router) assigned,
transferred or referred a case: the case's first text is labelled with the unit type of the
unit it ended at, and weighs `ROUTING_OPERATOR_WEIGHT` seed examples, so one correction
changes the next model's decision on similar texts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wadul.cases.models import CaseEvent
from wadul.core import memo
from wadul.organisation.models import Unit
from wadul.routing import classifier
from wadul.routing.labels import UnitType
from wadul.routing.models import RoutingDecision, RoutingModel, Territorial, UnitTypeMapping

log = logging.getLogger(__name__)

SEED_CORPUS = Path(__file__).resolve().parent / "seed" / "corpus.csv"
E = CaseEvent.Kind


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0
    source: str = "seed"  # "seed", or the tracking number of the case an operator decided


def seed_examples(path: Path = SEED_CORPUS) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Example(row["text"], row["label"]) for row in csv.DictReader(fh)]


# Citizens often write a title, not a story ("Bising musik kafe tiap malam"): each seed text
# of more than TITLE_WORDS words is also learnt in a title-like form, its first clause cut
# to TITLE_WORDS words without the opening courtesies, so brevity alone says nothing.
TITLE_WORDS = 6
TITLE_WEIGHT = 0.5
_CLAUSE_END = re.compile(r"[,.;:!?\n]| - ")
_OPENING = re.compile(
    r"^(?:(?:selamat (?:pagi|siang|sore|malam)|assalamualaikum|permisi|mohon maaf|maaf|"
    r"halo|min|admin|pak|bu|bapak|ibu|mas|mbak|kak|tolong|mohon|saya mau|saya ingin|"
    r"saya|kami|mau|ingin)\b[\s,.!]*)+",
    re.IGNORECASE,
)


def title_form(text: str) -> str:
    """A short title-like form of a complaint, or "" when the text is already short."""
    clause = _CLAUSE_END.split(_OPENING.sub("", text.strip()), maxsplit=1)[0]
    words = clause.split()[:TITLE_WORDS]
    if len(words) < 2 or len(text.split()) <= TITLE_WORDS:
        return ""
    return " ".join(words)


def title_examples(examples: list[Example]) -> list[Example]:
    """Title-like forms of the seed texts (not of spam: a short advert is still an advert,
    and short spam is not what the router gets wrong)."""
    titles = []
    for e in examples:
        title = title_form(e.text) if e.label != UnitType.SPAM else ""
        if title:
            titles.append(Example(title, e.label, e.weight * TITLE_WEIGHT, e.source))
    return titles


def label_for_unit(unit: Unit, *, preferred: str = "") -> str | None:
    """The unit type a unit handles here (reverse of `UnitTypeMapping`).

    The unit itself or its nearest mapped ancestor (a bidang counts for its OPD); a
    kecamatan or desa office stands for the territorial type. When several types map to one
    unit, `preferred` (e.g. the router's own guess) wins if it is among them.
    """
    mappings = list(UnitTypeMapping.objects.exclude(unit=None))
    by_unit: dict[int, list[str]] = {}
    for mapping in mappings:
        by_unit.setdefault(mapping.unit_id, []).append(mapping.label)
    node: Unit | None = unit
    while node is not None:
        labels = by_unit.get(node.pk)
        if labels:
            return preferred if preferred in labels else sorted(labels)[0]
        node = node.parent
    wanted = {Unit.Kind.KECAMATAN: Territorial.KECAMATAN, Unit.Kind.DESA: Territorial.DESA}.get(
        unit.kind
    )
    if wanted:
        labels = sorted(m.label for m in UnitTypeMapping.objects.filter(territorial=wanted))
        if labels:
            return preferred if preferred in labels else labels[0]
    return None


def operator_examples(weight: float | None = None) -> list[Example]:
    """The last assignment, transfer or referral an official made on each case."""
    weight = settings.ROUTING_OPERATOR_WEIGHT if weight is None else weight
    events = (
        CaseEvent.objects.filter(
            kind__in=[E.ASSIGNED, E.TRANSFERRED, E.REFERRED],
            actor__isnull=False,
            to_unit__isnull=False,
        )
        .select_related("case", "to_unit__parent")
        .order_by("case_id", "at", "pk")
    )
    last: dict[int, CaseEvent] = {}
    for event in events.iterator(chunk_size=2000):
        last[event.case_id] = event
    guesses = dict(
        RoutingDecision.objects.filter(case_id__in=list(last))
        .order_by("case_id", "created_at")
        .values_list("case_id", "label")
    )
    examples = []
    for case_id, event in last.items():
        text = event.case.description.strip()
        label = label_for_unit(event.to_unit, preferred=guesses.get(case_id, ""))
        if text and label:
            examples.append(Example(text, label, weight, event.case.tracking_number))
    return examples


def training_set() -> list[Example]:
    seed = seed_examples()
    return seed + title_examples(seed) + operator_examples()


def train(examples: list[Example] | None = None, *, activate: bool = True) -> RoutingModel:
    """Fit the pipeline, store it with a version (time + data hash) and make it active."""
    examples = training_set() if examples is None else examples
    started = time.perf_counter()
    pipeline = classifier.fit_pipeline(
        [e.text for e in examples], [e.label for e in examples], [e.weight for e in examples]
    )
    operator = [e for e in examples if e.source != "seed"]
    artifact = {
        "pipeline": pipeline,
        # Operators' past decisions, to name the nearest one as a reason.
        "neighbours": {
            "matrix": classifier.transform(pipeline, [e.text for e in operator])
            if operator
            else None,
            "labels": [e.label for e in operator],
            "sources": [e.source for e in operator],
        },
    }
    seconds = time.perf_counter() - started
    buffer = io.BytesIO()
    joblib.dump(artifact, buffer, compress=3)
    blob = buffer.getvalue()
    version = _version(examples)
    with transaction.atomic():
        model = RoutingModel.objects.create(
            version=version,
            artifact=blob,
            size=len(blob),
            seed_examples=len(examples) - len(operator),
            operator_examples=len(operator),
            training_seconds=seconds,
        )
        if activate:
            model.activate()
    log.info("trained routing model %s on %d examples in %.1fs", version, len(examples), seconds)
    return model


def _version(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.label}\t{e.weight}\t{e.text}\n".encode())
    # Microseconds keep two trainings in the same second apart.
    return f"{timezone.now():%Y%m%dT%H%M%S%f}-{digest.hexdigest()[:8]}"


# --- the model in use ------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[str, Any] = {"version": None, "artifact": None}


def active_model() -> tuple[str, dict[str, Any]] | None:
    """(version, artifact) of the active model, loaded once per process and again only when
    another version becomes active."""
    version = memo.remember(("routing_model",), _active_version)
    if version is None:
        return None
    if _loaded["version"] != version:
        with _lock:
            if _loaded["version"] != version:
                blob = RoutingModel.objects.values_list("artifact", flat=True).get(version=version)
                _loaded["artifact"] = joblib.load(io.BytesIO(bytes(blob)))
                _loaded["version"] = version
    return version, _loaded["artifact"]


def _active_version() -> str | None:
    return RoutingModel.objects.filter(is_active=True).values_list("version", flat=True).first()


def known_labels() -> set[str]:
    return set(UnitType.values)
