from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySummaryRun(models.Model):
    """The day the heads' WhatsApp summary went out: one row per day, so any number of
    schedulers send it once."""

    day = models.DateField(_("day"), unique=True)
    sent_at = models.DateTimeField(_("sent at"))
    summaries = models.PositiveIntegerField(_("summaries"), default=0)

    class Meta:
        verbose_name = _("daily summary run")
        verbose_name_plural = _("daily summary runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.summaries})"


class HeldFollowUp(models.Model):
    """A citizen's follow-ups that came while the official on duty had just been told about
    the case (within `RELAY_FOLLOW_UP_QUIET_MINUTES` of the last notice): instead of one
    WhatsApp notice each, one notice goes when the quiet time is over, saying how many came
    and showing the latest. One row per case; `send_held_follow_ups` sends the due ones."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "cases.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(_("messages"), default=1)
    due_at = models.DateTimeField(_("due"), db_index=True)

    class Meta:
        verbose_name = _("held follow-up notice")
        verbose_name_plural = _("held follow-up notices")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.count} until {self.due_at:%H:%M}"
