"""The routing decision for one text (and pin): pure, no writes. `services.route_case`
records it and acts on it; `wadul route` prints it.

First the request kind (`intent.classify_intent`): only a complaint is routed to a unit;
another kind the router is sure of goes to the operator (the conversation core handles it on
WhatsApp). Then the unit: an operator's rule (precedence, 100 %), else the classifier's
probabilities, never spam when the text names a service or a problem; the regency's remit
rule for a contested topic (noise, street vendors …); the place from the pin (boundaries) or
else from names in the text; the unit type's mapping turns label + place into a unit. Each
step that decided says so in the reasons.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max
from sklearn.preprocessing import normalize

from wadul.core import memo
from wadul.organisation.models import Region, Unit
from wadul.routing import boundaries, classifier, places, training
from wadul.routing.intent import Intent, IntentDecision, classify_intent, settle_spam
from wadul.routing.labels import UnitType, is_outside
from wadul.routing.models import Action, RemitRule, RoutingRule, Territorial, UnitTypeMapping
from wadul.routing.normalise import normalise

TOP_SUGGESTIONS = 3
# Request kinds that go to a unit (spam is settled by its own rule).
ROUTED_KINDS = (Intent.COMPLAINT, Intent.SPAM)
NEIGHBOUR_MIN_SIMILARITY = 0.5


@dataclass
class Suggestion:
    label: str
    confidence: float
    unit: Unit | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "label_name": str(UnitType(self.label).label) if self.label in UnitType.values else "",
            "confidence": round(self.confidence, 3),
            "unit_id": self.unit.pk if self.unit else None,
            "unit": self.unit.name if self.unit else "",
        }


@dataclass
class Decision:
    """What to do with one text, and why."""

    label: str = ""
    confidence: float = 0.0
    unit: Unit | None = None
    action: str = Action.TRIAGE
    is_emergency: bool = False
    is_spam: bool = False
    is_outside: bool = False
    place: places.Place | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    model_version: str = ""
    intent: IntentDecision | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "unit": self.unit.name if self.unit else "",
            "unit_code": self.unit.code if self.unit else "",
            "flags": {
                "emergency": self.is_emergency,
                "spam": self.is_spam,
                "outside_authority": self.is_outside,
            },
            "place": self.place.as_dict() if self.place else None,
            "reasons": self.reasons,
            "suggestions": [s.as_dict() for s in self.suggestions],
            "model_version": self.model_version,
            "intent": self.intent.as_dict() if self.intent else None,
        }


def route_text(text: str, lat: float | None = None, lon: float | None = None) -> Decision:
    decision = Decision(intent=classify_intent(text))
    normalised = normalise(text)
    _locate(decision, text, lat, lon)
    mappings = {m.label: m for m in UnitTypeMapping.objects.select_related("unit")}

    model = training.active_model()
    prediction = None
    if model is not None:
        decision.model_version, artifact = model
        prediction = classifier.predict(artifact["pipeline"], text)
        _neighbour(decision, artifact, text)
    rule = _matching_rule(normalised)

    if rule is not None:
        target_rule, phrase = rule
        decision.label = target_rule.label or _label_of(target_rule.unit, mappings)
        decision.confidence = 1.0
        decision.reasons.insert(
            0,
            {
                "kind": "rule",
                "rule": target_rule.pk,
                "phrase": phrase,
                "detail": f"aturan #{target_rule.pk}: “{phrase}”",
            },
        )
        decision.unit = target_rule.unit or _unit_for(decision.label, decision.place, mappings)
    elif prediction is not None:
        decision.label, decision.confidence, not_spam = settle_spam(
            prediction.ranked,
            decision.intent,
            place=decision.place.region.name if decision.place else "",
        )
        decision.reasons.insert(
            0,
            {
                "kind": "words",
                "label": prediction.label,
                "confidence": round(prediction.confidence, 3),
                "words": prediction.evidence,
                "detail": "kata: " + ", ".join(prediction.evidence),
            },
        )
        if not_spam:
            decision.reasons.append({"kind": "not_spam", "detail": not_spam})
        remit = _matching_remit(normalised, decision.label)
        if remit is not None:
            rule, phrase = remit
            decision.label = rule.label
            decision.reasons.append(
                {
                    "kind": "remit",
                    "rule": rule.pk,
                    "topic": rule.topic,
                    "phrase": phrase,
                    "detail": f"kewenangan daerah #{rule.pk} {rule.name} (“{phrase}”) → "
                    f"{rule.unit or rule.label}",
                }
            )
        decision.unit = (remit[0].unit if remit else None) or _unit_for(
            decision.label, decision.place, mappings
        )
        if decision.unit is not None and not (remit and remit[0].unit):
            decision.reasons.append(_mapping_reason(decision, mappings))
    else:
        decision.reasons.append({"kind": "model", "detail": "belum ada model terlatih"})

    if prediction is not None:
        decision.suggestions = [
            Suggestion(label, p, _unit_for(label, decision.place, mappings))
            for label, p in prediction.ranked[:TOP_SUGGESTIONS]
        ]
    _flag_and_act(decision, prediction)
    return decision


def is_emergency(text: str) -> bool:
    """Whether `route_text` would call this text an emergency: an operator's rule, or the
    classifier. Only that part of routing, so the conversation core can ask it for every new
    request before acknowledging (the full decision also places, maps and explains)."""
    rule = _matching_rule(normalise(text))
    if rule is not None:
        return rule[0].label == UnitType.EMERGENCY
    model = training.active_model()
    if model is None:
        return False
    prediction = classifier.predict(model[1]["pipeline"], text)
    return prediction.label == UnitType.EMERGENCY or (
        prediction.probability(UnitType.EMERGENCY) >= settings.ROUTING_EMERGENCY_THRESHOLD
    )


# --- steps -----------------------------------------------------------------------------------


def _locate(decision: Decision, text: str, lat: float | None, lon: float | None) -> None:
    if lat is not None and lon is not None:
        region = boundaries.region_at(lat, lon)
        if region is not None:
            decision.place = places.Place(region, 100.0, f"{lat:.5f},{lon:.5f}", source="pin")
            decision.reasons.append(
                {"kind": "pin", "region": region.code, "detail": f"pin di {region.label}"}
            )
    found = places.find_place(text)
    if found is not None:
        decision.reasons.append(
            {
                "kind": "place",
                "region": found.region.code,
                "matched": found.matched,
                "score": round(found.score, 1),
                "detail": f"nama tempat “{found.matched}” → {found.region.label}",
            }
        )
        if decision.place is None:
            decision.place = found


_rules_lock = threading.Lock()
_rules_cache: dict[str, Any] = {"stamp": None, "rules": []}


def _active_rules() -> list[tuple[RoutingRule, list[tuple[str, re.Pattern[str]]]]]:
    # Checked once per batch of webhook deliveries (each new request asks for it).
    stamp = memo.remember(("routing_rules",), _rules_stamp)
    if _rules_cache["stamp"] != stamp:
        with _rules_lock:
            rules = []
            for rule in RoutingRule.objects.filter(is_active=True).select_related("unit"):
                patterns = [
                    (phrase, re.compile(rf"\b{re.escape(normalise(phrase))}\b"))
                    for phrase in rule.phrase_list
                    if normalise(phrase)
                ]
                rules.append((rule, patterns))
            _rules_cache.update(stamp=stamp, rules=rules)
    return _rules_cache["rules"]


def _rules_stamp() -> tuple:
    stamp = tuple(RoutingRule.objects.aggregate(last=Max("pk"), n=Max("priority")).values())
    return (*stamp, RoutingRule.objects.filter(is_active=True).count())


def clear_rule_cache() -> None:
    _rules_cache["stamp"] = None


def _matching_rule(normalised: str) -> tuple[RoutingRule, str] | None:
    for rule, patterns in _active_rules():  # ordered by priority, highest first
        for phrase, pattern in patterns:
            if pattern.search(normalised):
                return rule, phrase
    return None


def _matching_remit(normalised: str, label: str) -> tuple[RemitRule, str] | None:
    """This regency's rule for a contested topic the text names, when the classifier's type is
    one of the contested ones. Read from the database on every decision (a handful of rows),
    so an admin's edit counts for the next message. Never over an emergency or spam."""
    if label in (UnitType.EMERGENCY, UnitType.SPAM):
        return None
    for rule in RemitRule.objects.filter(is_active=True).select_related("unit"):
        contested = rule.contested_labels
        if contested and label not in contested:
            continue
        for phrase in rule.phrase_list:
            wanted = normalise(phrase)
            if wanted and re.search(rf"\b{re.escape(wanted)}\b", normalised):
                return rule, phrase
    return None


def _mapping_reason(decision: Decision, mappings: dict[str, UnitTypeMapping]) -> dict[str, Any]:
    mapping = mappings.get(decision.label)
    by_place = bool(mapping and decision.unit != mapping.unit)
    where = " (kantor wilayah tempat kejadian)" if by_place else ""
    return {
        "kind": "mapping",
        "mapping": mapping.pk if mapping else None,
        "label": decision.label,
        "detail": f"pemetaan jenis {decision.label} → {decision.unit}{where}",
    }


def _neighbour(decision: Decision, artifact: dict[str, Any], text: str) -> None:
    neighbours = artifact.get("neighbours") or {}
    matrix = neighbours.get("matrix")
    if matrix is None or matrix.shape[0] == 0:
        return
    vector = normalize(classifier.transform(artifact["pipeline"], [text]))
    similarities = (normalize(matrix) @ vector.T).toarray().ravel()
    best = int(np.argmax(similarities))
    if similarities[best] >= NEIGHBOUR_MIN_SIMILARITY:
        source, label = neighbours["sources"][best], neighbours["labels"][best]
        decision.reasons.append(
            {
                "kind": "neighbour",
                "case": source,
                "label": label,
                "similarity": round(float(similarities[best]), 3),
                "detail": f"mirip kasus {source} yang diputuskan operator → {label}",
            }
        )


def _label_of(unit: Unit | None, mappings: dict[str, UnitTypeMapping]) -> str:
    if unit is None:
        return ""
    for label, mapping in mappings.items():
        if mapping.unit_id == unit.pk:
            return label
    return ""


def _unit_for(
    label: str, place: places.Place | None, mappings: dict[str, UnitTypeMapping]
) -> Unit | None:
    mapping = mappings.get(label)
    if mapping is None:
        return None
    if mapping.territorial and place is not None:
        office = _territorial_office(mapping.territorial, place)
        if office is not None:
            return office
    return mapping.unit


def _territorial_office(territorial: str, place: places.Place) -> Unit | None:
    regions: list[Region] = []
    if territorial == Territorial.DESA and place.desa is not None:
        regions.append(place.desa)
    if place.kecamatan is not None:
        regions.append(place.kecamatan)
    for region in regions:
        unit = (
            Unit.objects.filter(
                region=region,
                is_active=True,
                kind__in=[Unit.Kind.KECAMATAN, Unit.Kind.DESA],
            )
            .order_by("path")
            .first()
        )
        if unit is not None:
            return unit
    return None


def _flag_and_act(decision: Decision, prediction: classifier.Prediction | None) -> None:
    label = decision.label
    emergency_p = prediction.probability(UnitType.EMERGENCY) if prediction else 0.0
    decision.is_emergency = label == UnitType.EMERGENCY or (
        emergency_p >= settings.ROUTING_EMERGENCY_THRESHOLD
    )
    if decision.is_emergency and label != UnitType.EMERGENCY:
        decision.reasons.append(
            {
                "kind": "emergency",
                "probability": round(emergency_p, 3),
                "detail": f"kemungkinan darurat {emergency_p:.0%}",
            }
        )
    decision.is_spam = label == UnitType.SPAM
    decision.is_outside = bool(label and is_outside(label)) or bool(
        decision.unit and decision.unit.is_external
    )
    threshold = settings.ROUTING_CONFIDENCE_THRESHOLD
    intent = decision.intent
    if intent is not None:
        decision.reasons.append(
            {
                "kind": "intent",
                "intent": intent.kind,
                "confidence": intent.confidence,
                "detail": f"jenis permintaan {intent.kind} ({intent.confidence:.0%}): "
                + "; ".join(intent.reasons),
            }
        )
    if decision.is_emergency:
        decision.action = Action.EMERGENCY
    elif intent is not None and intent.is_sure and intent.kind not in ROUTED_KINDS:
        # Not a matter for a unit: the conversation core or the operator handles this kind.
        decision.action = Action.TRIAGE
    elif decision.is_spam:
        sure = decision.confidence >= settings.ROUTING_SPAM_REJECT_THRESHOLD
        decision.action = Action.REJECT if sure else Action.TRIAGE
    elif decision.unit is not None and decision.confidence >= threshold:
        decision.action = Action.REFER if decision.unit.is_external else Action.ASSIGN
    else:
        decision.action = Action.TRIAGE
        if decision.label and decision.confidence < threshold:
            decision.reasons.append(
                {
                    "kind": "threshold",
                    "detail": f"keyakinan {decision.confidence:.0%} < {threshold:.0%}: ke operator",
                }
            )
        elif decision.label and decision.unit is None:
            decision.reasons.append(
                {"kind": "mapping", "detail": f"belum ada unit untuk jenis {decision.label}"}
            )
