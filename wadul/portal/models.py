"""The public portal's own state: what operators mark as personal or private, and spam limits.

Case state itself lives in `wadul.cases`; these models only decide what the public may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case, Message


class PersonalTerm(models.Model):
    """A word or name an operator marked as personal: masked in everything public.

    With a case it applies to that case only; without one it applies to every case
    (e.g. the name of a person who is often mentioned).
    """

    term = models.CharField(_("term"), max_length=200)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="personal_terms",
        help_text=_("Leave empty to mask the term in every case."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("personal term")
        verbose_name_plural = _("personal terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class PrivateAnswer(models.Model):
    """An answer an operator kept off the portal: only the reporter sees it (private link)."""

    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="private_mark", verbose_name=_("answer")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("private answer")
        verbose_name_plural = _("private answers")

    def __str__(self) -> str:
        return f"{self.message_id}"


class PhotoDecision(models.Model):
    """An operator's check of a photo before publication (approved or kept private)."""

    attachment = models.OneToOneField(
        "cases.Attachment",
        on_delete=models.CASCADE,
        related_name="photo_decision",
        verbose_name=_("photo"),
    )
    approved = models.BooleanField(_("approved"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo decision")
        verbose_name_plural = _("photo decisions")

    def __str__(self) -> str:
        return f"{self.attachment_id}: {'approved' if self.approved else 'private'}"


class WhatsAppVerification(models.Model):
    """A WhatsApp number typed on a report, linked to the case's reporter only once the code
    sent to it is typed back on the private page (whoever types a number may not own it)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="whatsapp_verification"
    )
    number = models.CharField(_("WhatsApp number"), max_length=20)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("WhatsApp number to verify")
        verbose_name_plural = _("WhatsApp numbers to verify")

    def __str__(self) -> str:
        return f"{self.case_id} {'confirmed' if self.confirmed_at else 'pending'}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.expires_at > timezone.now()
