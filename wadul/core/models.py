"""Attempts counted for limits (failed logins, bad API tokens, web reports).

In the database rather than in a process's memory: every web process and worker sees the same
counts, and a restart does not reset them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One counted attempt: `scope` says what is limited, `key` whose (a username, an IP)."""

    scope = models.CharField(_("scope"), max_length=30)
    key = models.CharField(_("key"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("counted attempt")
        verbose_name_plural = _("counted attempts")
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="attempt_scope_key_at"),
            models.Index(fields=["at"], name="attempt_at"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.at:%Y-%m-%d %H:%M}"
