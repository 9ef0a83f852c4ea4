"""What the conversation core remembers between messages: an intake in progress."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case, Contact
from wadul.organisation.models import Unit, WhatsAppNumber


class IntakeSession(models.Model):
    """A request being collected one question at a time, before its case exists.

        open ──► completed (the case is opened with the answers)
          └────► cancelled (`batal`, or a newer session, or expired)

    One open session per citizen and entry point (channel and number); it survives hours
    of silence, so the citizen can go on where they stopped.
    """

    class State(models.TextChoices):
        OPEN = "open", _("open")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=16)
    number = models.ForeignKey(
        WhatsAppNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("request kind"), max_length=24)
    step = models.PositiveSmallIntegerField(default=0)
    answers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake conversation")
        verbose_name_plural = _("intake conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "channel"],
                condition=Q(state="open"),
                name="one_open_intake_per_contact_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_state_display()})"
