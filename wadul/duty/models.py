"""Who is on duty for a unit, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.organisation.models import Unit


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OnDutyShift(models.Model):
    """One official on duty for a unit: every week on a weekday (or every day), optionally
    between two times of day (Asia/Jakarta; an end before the start runs past midnight),
    optionally only between two dates. Lower priority numbers are called first."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duty_shifts"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Empty: every day."),
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)

    class Meta:
        verbose_name = _("on-duty shift")
        verbose_name_plural = _("on-duty shifts")
        ordering = ["unit", "priority", "weekday", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="duty_shift_both_times_or_none",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="duty_shift_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} @ {self.unit}"


class DutyEvent(models.Model):
    """Append-only log of changes to the on-duty schedule, written by `wadul.duty.services`
    (the schedule is not a case, so these are not case events): who added or ended a shift,
    or handed over duty, and through which surface (`Via`)."""

    class Kind(models.TextChoices):
        SHIFT_ADDED = "shift_added", _("shift added")
        SHIFT_ENDED = "shift_ended", _("shift ended")
        HANDED_OVER = "handed_over", _("duty handed over")

    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    # Whose shift it is.
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via = models.CharField(_("via"), max_length=16)
    # Ended shifts are deleted; `data` keeps their terms.
    shift = models.ForeignKey(
        OnDutyShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("duty event")
        verbose_name_plural = _("duty events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.official} @ {self.unit}"
