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
