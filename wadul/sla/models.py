"""The clock's configuration (calendars, targets, escalation ladder) and its records
(escalation steps, notifications to officials, per-case metrics).

Deadlines themselves live on the case (`Case.first_response_due_at` …) so queues are cheap;
everything here is either edited by administrators or derived from the case event log.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wadul.cases import kinds
from wadul.cases.models import Case, CaseEvent
from wadul.organisation.models import Unit
from wadul.sla import messages

# --- calendars -------------------------------------------------------------------------------


class Schedule(models.Model):
    """Named office hours (e.g. "Jam kerja kantor", "24 jam") that units are given.

    A unit without its own schedule uses its parent's, up the tree; a unit with none above
    it uses the default schedule.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    always_open = models.BooleanField(
        _("open 24/7"),
        default=False,
        help_text=_("Round the clock, every day (command centre). Office hours are ignored."),
    )
    observes_holidays = models.BooleanField(
        _("closed on holidays"),
        default=True,
        help_text=_("National holidays and cuti bersama are days off."),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used by units without a schedule of their own.")
    )

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_schedule"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ScheduleHours(models.Model):
    """One opening interval of a schedule on one weekday (several = breaks), local time."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="opens_first")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class UnitSchedule(models.Model):
    """The schedule a unit (and its sub-units without their own) works by."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="schedule_assignment",
        limit_choices_to=~Q(kind=Unit.Kind.EXTERNAL),
    )
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("office hours"), on_delete=models.PROTECT, related_name="units"
    )

    class Meta:
        verbose_name = _("unit office hours")
        verbose_name_plural = _("unit office hours")

    def __str__(self) -> str:
        return f"{self.unit}: {self.schedule}"


class LocalHoliday(models.Model):
    """A whole day off decided locally (regional holiday, local cuti)."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only for unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the whole regency. Otherwise this unit and its sub-units."),
    )

    class Meta:
        verbose_name = _("local holiday")
        verbose_name_plural = _("local holidays")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Closure(models.Model):
    """A one-off closure: any interval when an office does not work (move, outage)."""

    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only for unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the whole regency. Otherwise this unit and its sub-units."),
    )

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.reason


class CalendarRevision(models.Model):
    """One row whose token changes whenever calendars, targets or the ladder change, so
    every process knows when its cached calendars are stale."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar revision")

    def __str__(self) -> str:
        return str(self.token)


# --- targets and the ladder ------------------------------------------------------------------


class Target(models.Model):
    """Response and resolution targets for one case type, in working time.

    Without a unit: the regency's rule. With a unit: an override for that unit and its
    sub-units. A working day is the length of the unit's longest office day (8.5 hours for
    07:30–16:00; 24 hours when open round the clock).
    """

    case_type = models.CharField(_("case type"), max_length=24, choices=kinds.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only for unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=~Q(kind=Unit.Kind.EXTERNAL),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (working minutes)"), default=120
    )
    next_response_days = models.PositiveSmallIntegerField(
        _("next response after a citizen's message (working days)"), default=1
    )
    resolution_days = models.PositiveSmallIntegerField(_("resolution (working days)"), default=5)
    extension_days = models.PositiveSmallIntegerField(
        _("one extension (working days)"),
        default=0,
        help_text=_("Information requests (UU 14/2008): 7 working days, once."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit__path", "case_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_type"], condition=Q(unit__isnull=True), name="one_regency_target"
            ),
            models.UniqueConstraint(
                fields=["case_type", "unit"],
                condition=Q(unit__isnull=False),
                name="one_unit_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} ({self.unit or _('regency')})"


class Deadline(models.TextChoices):
    """The three clocks a case can have running; each is a timestamp on the case."""

    FIRST_RESPONSE = "first_response", _("first response")
    NEXT_RESPONSE = "next_response", _("next response")
    RESOLUTION = "resolution", _("resolution")

    @property
    def case_field(self) -> str:
        return f"{self.value}_due_at"


class EscalationStep(models.Model):
    """One rung of the escalation ladder, relative to a deadline.

    A negative offset warns before the deadline, zero reports the breach, a positive one
    escalates after it. Offsets are working minutes of the case's unit.
    """

    class AppliesTo(models.TextChoices):
        ALL = "all", _("every deadline")
        RESPONSES = "responses", _("first and next response")
        FIRST_RESPONSE = "first_response", _("first response")
        NEXT_RESPONSE = "next_response", _("next response")
        RESOLUTION = "resolution", _("resolution")

    class Recipients(models.TextChoices):
        ASSIGNED = "assigned", _("assigned official (else the unit's staff)")
        HEAD = "head", _("head of unit")
        SUPERVISORS = "supervisors", _("supervisors")

    name = models.CharField(_("name"), max_length=100)
    applies_to = models.CharField(
        _("deadline"), max_length=16, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    offset_minutes = models.IntegerField(
        _("offset (working minutes)"),
        help_text=_("Negative: before the deadline (warning); 0: at breach; positive: after."),
    )
    recipients = models.CharField(_("notify"), max_length=16, choices=Recipients.choices)
    whatsapp = models.BooleanField(_("also on WhatsApp"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation ladder")
        ordering = ["offset_minutes", "pk"]

    def __str__(self) -> str:
        return self.name

    def applies(self, deadline: str) -> bool:
        if self.applies_to == self.AppliesTo.ALL:
            return True
        if self.applies_to == self.AppliesTo.RESPONSES:
            return deadline in {Deadline.FIRST_RESPONSE, Deadline.NEXT_RESPONSE}
        return self.applies_to == deadline

    @property
    def kind(self) -> str:
        if self.offset_minutes < 0:
            return Notification.Kind.WARNING
        if self.offset_minutes == 0:
            return Notification.Kind.BREACHED
        return Notification.Kind.ESCALATED


# --- records ---------------------------------------------------------------------------------


class Escalation(models.Model):
    """One ladder step for one deadline value of one case: scheduled, then fired once.

    Rows are written when a deadline is set (state pending, `fire_at` computed in working
    time) and removed while still pending when the deadline moves or ends. The sweep claims
    pending rows whose `fire_at` has passed. The unique key makes "each step once per case
    and deadline" a database fact, whatever the number of sweeps running.

        pending ──► fired
           │  └───► skipped   (a warning whose deadline had already passed; a historical import)
           └──────► cancelled (the deadline changed between scheduling and firing)
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        FIRED = "fired", _("fired")
        SKIPPED = "skipped", _("skipped")
        CANCELLED = "cancelled", _("cancelled")

    # Indexed by the unique key below, which starts with the case.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="escalations", db_index=False
    )
    deadline = models.CharField(_("deadline"), max_length=16, choices=Deadline.choices)
    due_at = models.DateTimeField(_("due"))
    step = models.ForeignKey(
        EscalationStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="+"
    )
    fire_at = models.DateTimeField(_("fires at"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # The fired step's event carries (deadline, due_at, step) in its data.
    fired_at = models.DateTimeField(_("fired"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["fire_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "due_at", "step"], name="escalation_once"
            )
        ]
        indexes = [
            # The sweep's only query: pending rows whose time has come.
            models.Index(
                fields=["fire_at"], condition=Q(state="pending"), name="escalation_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.deadline} {self.step_id} {self.state}"


class Notification(models.Model):
    """A message to an official about a case's deadline, shown in the inbox (and, if
    `whatsapp_requested`, handed to the WhatsApp channel). `text` renders it (Indonesian,
    from `sla/<kind>.txt`) when shown: the sweep stores facts, not prose, so it stays fast.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("deadline approaching")
        BREACHED = "breached", _("deadline missed")
        ESCALATED = "escalated", _("escalated")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the inbox index below starts with the recipient
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        db_index=False,  # events are never deleted
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.CharField(_("deadline"), max_length=16, choices=Deadline.choices)
    due_at = models.DateTimeField(_("due"))
    step_name = models.CharField(_("step"), max_length=100, blank=True)
    whatsapp_requested = models.BooleanField(_("sent to WhatsApp"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox's list: one official's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # The unread badge (a count) and "mark all as read" touch only unread rows; by
            # id, so the newest unread one is the first entry.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.get_kind_display()} {self.case_id}"

    @cached_property
    def text(self) -> str:
        """The message for the official (select_related("case__unit") when listing)."""
        return messages.notification_text(
            kind=self.kind,
            case=self.case,
            deadline=self.deadline,
            due_at=self.due_at,
            step_name=self.step_name,
        )


class CaseMetric(models.Model):
    """One row per case: its clock figures, a deterministic function of its events
    (`wadul.sla.metrics`), kept current in the same transaction as each event and
    rebuildable with `wadul sla_rebuild_metrics`. Durations are whole seconds."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="metric"
    )
    # The unit the case is credited to: its unit, or the central desk while it has none.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    case_type = models.CharField(max_length=24, choices=kinds.choices)
    opened_at = models.DateTimeField()
    # False for spam and merged duplicates: they are not counted in statistics.
    counted = models.BooleanField(default=True)
    is_open = models.BooleanField(default=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_working_seconds = models.IntegerField(null=True, blank=True)
    first_response_clock_seconds = models.IntegerField(null=True, blank=True)
    first_response_within = models.BooleanField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_working_seconds = models.IntegerField(null=True, blank=True)
    resolution_clock_seconds = models.IntegerField(null=True, blank=True)
    resolution_within = models.BooleanField(null=True, blank=True)
    finished = models.BooleanField(default=False)
    reopened = models.PositiveIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("case metric")
        verbose_name_plural = _("case metrics")
        indexes = [models.Index(fields=["opened_at", "unit"], name="casemetric_period")]

    def __str__(self) -> str:
        return str(self.case_id)


class StatsSnapshot(models.Model):
    """Figures computed by the clock's metrics module, kept for the public pages.

    Aggregating millions of cases on every page view is too slow, so the league table,
    trends and map read the last computed figures; a background task recomputes them when
    they are older than `PORTAL_STATS_MAX_AGE` seconds (the page says when they were computed).
    """

    key = models.CharField(max_length=200, unique=True)
    data = models.JSONField()
    computed_at = models.DateTimeField()
    refreshing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made by the portal's first migrations; the figures are the clock's.
        db_table = "portal_statssnapshot"
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self) -> str:
        return self.key
