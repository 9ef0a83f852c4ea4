"""Routing: which unit handles which unit type, operators' rules, trained models, the
decisions taken, region boundaries for pins, and likely duplicates."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case
from wadul.organisation.models import Region, Unit
from wadul.routing.labels import Intent, UnitType


class Territorial(models.TextChoices):
    """Whether a matter goes to the office of the place it happens in."""

    NO = "", _("no: always the unit above")
    KECAMATAN = "kecamatan", _("the kecamatan office of the place")
    DESA = "desa", _("the desa/kelurahan office of the place (else its kecamatan)")


class UnitTypeMapping(models.Model):
    """Which unit (or outside institution) handles a unit type in this regency."""

    label = models.CharField(_("unit type"), max_length=32, choices=UnitType.choices, unique=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit or institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_mappings",
        help_text=_("Used when the place is unknown, or always when not territorial."),
    )
    territorial = models.CharField(
        _("route by place"), max_length=10, choices=Territorial.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit type mapping")
        verbose_name_plural = _("unit type mappings")
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.get_label_display()} → {self.unit or '—'}"


class RoutingRule(models.Model):
    """Operator-written phrases that decide routing before the classifier does."""

    phrases = models.TextField(
        _("phrases"),
        help_text=_("One word or phrase per line; any of them matches (spelling is normalised)."),
    )
    label = models.CharField(
        _("unit type"), max_length=32, choices=UnitType.choices, blank=True, default=""
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit or institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_("Takes precedence over the unit type's mapping."),
    )
    priority = models.IntegerField(_("priority"), default=0, help_text=_("Higher wins."))
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["-priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(label="") | Q(unit__isnull=False), name="routing_rule_has_target"
            )
        ]

    def __str__(self) -> str:
        first = self.phrase_list[0] if self.phrase_list else "?"
        return f"“{first}” → {self.unit or self.get_label_display()}"

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class RemitRule(models.Model):
    """This regency's owner of a matter whose owner differs between regencies.

    Noise from a café is the environment agency's in one city and Satpol PP's in another;
    street vendors, stray animals, drainage beside a road, illegal parking … likewise. When
    the text names the topic and the classifier proposes one of the contested unit types,
    the rule's type (or unit) wins, and the router's explanation names the rule. Read on every
    decision: an edit counts for the next message. Seeded from `seed/remit.csv`.
    """

    topic = models.SlugField(_("topic"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    phrases = models.TextField(
        _("phrases"),
        help_text=_("One word or phrase per line; any of them names the topic."),
    )
    contested = models.CharField(
        _("contested unit types"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated unit types the classifier may propose for this topic; the rule "
            "applies only then (empty: always)."
        ),
    )
    label = models.CharField(_("unit type here"), max_length=32, choices=UnitType.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit or institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remit_rules",
        help_text=_("Optional: this unit instead of the unit type's mapping."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("remit rule")
        verbose_name_plural = _("remit rules")
        ordering = ["topic"]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit or self.get_label_display()}"

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]

    @property
    def contested_labels(self) -> set[str]:
        return {part.strip() for part in self.contested.split(",") if part.strip()}


class RoutingModel(models.Model):
    """A trained classifier. Exactly one is active; every decision records its version."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    # Stored in the database so every web process and worker, on any machine, loads the same.
    artifact = models.BinaryField(_("artifact"), editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    seed_examples = models.PositiveIntegerField(_("seed examples"), default=0)
    operator_examples = models.PositiveIntegerField(_("operator decisions"), default=0)
    training_seconds = models.FloatField(_("training time (s)"), default=0)
    created_at = models.DateTimeField(_("trained"), default=timezone.now)

    class Meta:
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_routing_model"
            )
        ]

    def __str__(self) -> str:
        return self.version

    @transaction.atomic
    def activate(self) -> None:
        RoutingModel.objects.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
        RoutingModel.objects.filter(pk=self.pk).update(is_active=True)
        self.is_active = True


class Action(models.TextChoices):
    ASSIGN = "assign", _("assigned")
    REFER = "refer", _("referred outside")
    EMERGENCY = "emergency", _("emergency: urgent, told to call 112")
    REJECT = "reject", _("rejected as spam")
    TRIAGE = "triage", _("left to the operator")


class RoutingDecision(models.Model):
    """What the router decided for a case, why, and with which model."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="routing_decisions"
    )
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    label = models.CharField(_("unit type"), max_length=32, choices=UnitType.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit or institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confidence = models.FloatField(_("confidence"), default=0)
    intent = models.CharField(_("request kind"), max_length=32, choices=Intent.choices, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    is_spam = models.BooleanField(_("spam"), default=False)
    is_outside = models.BooleanField(_("outside authority"), default=False)
    region = models.ForeignKey(
        Region,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    suggestions = models.JSONField(_("top suggestions"), default=list, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_action_display()} ({self.confidence:.2f})"

    @property
    def intent_detail(self) -> str:
        """The request-kind stage's verdict and cues, as recorded in the reasons."""
        return next((r["detail"] for r in self.reasons if r.get("kind") == "intent"), "")


class RegionBoundary(models.Model):
    """The polygon of a kecamatan or desa, from `wadul import_boundaries FILE.geojson`."""

    region = models.OneToOneField(
        Region,
        verbose_name=_("region"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="boundary",
    )
    geometry = models.JSONField(_("GeoJSON geometry"))
    # Bounding box: a cheap indexed prefilter before the exact point-in-polygon test.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    source = models.CharField(_("source file"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self) -> str:
        return str(self.region)


class DuplicateSuggestion(models.Model):
    """A new case that looks like an open one nearby: the operator merges or dismisses it."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("dismissed")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="duplicate_suggestions"
    )
    candidate = models.ForeignKey(
        Case, verbose_name=_("likely duplicate of"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("similarity"))
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("found"), default=timezone.now)

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["case", "candidate"], name="unique_duplicate_pair")
        ]

    def __str__(self) -> str:
        return f"{self.case} ≈ {self.candidate} ({self.score:.2f})"
