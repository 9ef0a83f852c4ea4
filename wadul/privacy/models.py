"""Personal data under UU 27/2022: who looked at what, what must be kept, what was erased.

`AccessLog` is written on every staff view of personal data (one INSERT, no reads);
`LegalHold` keeps a case out of retention and erasure; `Erasure` records each case or
contact anonymised, so an interrupted retention run picks up where it stopped;
`RetentionRun` is what each run of the schedule did.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case


class AccessLog(models.Model):
    """One look at personal data by an official. Append-only; never shown to the official."""

    class Surface(models.TextChoices):
        CASE_PAGE = "case_page", _("case page")
        ATTACHMENT = "attachment", _("attachment")
        PERSONAL_FIELD = "personal_field", _("personal field")
        EXPORT = "export", _("export")
        API = "api", _("API")
        CASE_LIVE = "case_live", _("case page refresh")

    at = models.DateTimeField(_("time"), default=timezone.now)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The case's unit and visibility when it was seen: the alert for officials reading
    # confidential cases outside their units needs them without a join on cases.
    case_unit_id = models.IntegerField(null=True, blank=True)
    confidential = models.BooleanField(_("confidential case"), default=False)
    surface = models.CharField(_("surface"), max_length=16, choices=Surface.choices)
    # What exactly: an attachment id, an export's reason and size.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # For repeated looks logged at most once per window (the inbox's live refresh): the
    # window's number; a second row in the same window is not inserted (unique below).
    window = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case", "at"], name="accesslog_case_at"),
            models.Index(fields=["official", "at"], name="accesslog_official_at"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "case", "surface", "window"],
                condition=Q(window__isnull=False),
                name="accesslog_once_a_window",
            )
        ]
        permissions = [("act_as_dpo", _("Can act as data protection officer (DPO)"))]

    def __str__(self) -> str:
        return f"{self.official_id} {self.surface} {self.case_id} {self.at:%Y-%m-%d %H:%M}"


class LegalHold(models.Model):
    """A case that must be kept as it is (a dispute, an investigation, a court order):
    retention and erasure leave it and its reporter alone while the hold is active."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="legal_holds"
    )
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(released_at__isnull=True), name="one_active_hold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason}"


class Erasure(models.Model):
    """A case or a contact whose personal data was anonymised, and why."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("data subject's request")
        RETENTION = "retention", _("retention schedule")

    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="erasure"
    )
    # The contact row survives, emptied; its id ties the erasure to the request.
    contact_id = models.IntegerField(null=True, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(contact_id__isnull=False),
                name="erasure_names_case_or_contact",
            )
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} contact {self.contact_id} ({self.reason})"


class RetentionRun(models.Model):
    """One run of the retention schedule: per rule, how many records it removed or
    anonymised (or, in a dry run, would have)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    results = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.results}"


class BreachIncident(models.Model):
    """A personal-data breach drill or incident: the window, what happened, whose data the
    access log says was seen, the notices drafted, and the DPO case whose clock (3 × 24
    hours) runs until the notices are sent."""

    since = models.DateTimeField(_("from"))
    until = models.DateTimeField(_("until"))
    what = models.TextField(_("what happened"))
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account involved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="breach"
    )
    affected = models.JSONField(_("people affected"), default=list)
    letter = models.FileField(_("letter to the authority"), upload_to="breaches/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.since:%Y-%m-%d %H:%M}–{self.until:%H:%M}: {self.what[:60]}"


class WebRequest(models.Model):
    """A personal-data request started on the web: the WhatsApp number it is about proves
    who asks by typing back the code sent to it. Confirmed, it becomes a case."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wa_id = models.CharField(max_length=20)
    right = models.CharField(max_length=10)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("web personal-data request")
        verbose_name_plural = _("web personal-data requests")

    def __str__(self) -> str:
        return f"{self.right} {self.created_at:%Y-%m-%d %H:%M}"


class Restriction(models.Model):
    """A person's right to restrict processing (UU 27/2022 Pasal 11): while active, their
    data is only stored — their cases leave open data, the published cases, and the API.
    Lifting it keeps the row (who lifted it, when), so the history stays."""

    contact = models.ForeignKey(
        "cases.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="privacy_restrictions",
    )
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_restriction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.reason}"


class DpoAlert(models.Model):
    """An unusual pattern in the access log pushed to one DPO: shown in their inbox
    notifications (and on their WhatsApp, where they have a number). One row per DPO, per
    official, per pattern, per day: a pattern still going on is not pushed again that day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"))
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("DPO alert")
        verbose_name_plural = _("DPO alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "official", "kind", "day"], name="one_dpo_alert_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"
