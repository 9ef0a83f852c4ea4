"""What the staff inbox keeps of its own: canned answers, the search document of each case,
failed logins (throttling) and each official's session epoch ("log out everywhere")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case
from wadul.organisation.models import Unit


class CannedAnswer(models.Model):
    """A ready answer a unit reuses. The body may hold the placeholders {nama},
    {nomor_tiket} and {unit}, filled in for the case at hand (see `wadul.inbox.canned`)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="canned_answers"
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), help_text=_("Placeholders: {nama}, {nomor_tiket}, {unit}."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseSearch(models.Model):
    """The searchable text of one case: its tracking number, subject and every message.

    Appended to whenever a message is stored (`wadul.inbox.search`). PostgreSQL indexes it
    with a generated `search_vector` column (Indonesian configuration, GIN); SQLite keeps a
    copy in the FTS5 table `inbox_casesearch_fts` through triggers. Both are created by
    migration 0002.
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    document = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case search document")
        verbose_name_plural = _("case search documents")

    def __str__(self) -> str:
        return f"search:{self.case_id}"


class SessionEpoch(models.Model):
    """A counter per official; a session remembers the value it logged in with, and raising
    it ends every session of that official at its next request ("log out everywhere")."""

    official = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="session_epoch",
    )
    epoch = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("session epoch")
        verbose_name_plural = _("session epochs")

    def __str__(self) -> str:
        return f"{self.official_id}:{self.epoch}"
