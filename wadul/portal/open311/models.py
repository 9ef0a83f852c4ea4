"""Open311 GeoReport v2: client systems' API keys and the requests they filed."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases.models import Case


def new_key() -> str:
    return "o311_" + secrets.token_urlsafe(24)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    """A client system allowed to POST service requests (SP4N-LAPOR!, a city app …).

    Only the SHA-256 of the key is stored; the key is shown once, when created in the admin.
    Reading (GET) needs no key.
    """

    name = models.CharField(_("client system"), max_length=100)
    contact = models.CharField(_("technical contact"), max_length=200, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, contact: str = "") -> tuple[ApiKey, str]:
        key = new_key()
        api_key = cls.objects.create(
            name=name, contact=contact, key_hash=hash_key(key), prefix=key[5:13]
        )
        return api_key, key

    @classmethod
    def find(cls, key: str) -> ApiKey | None:
        if not key:
            return None
        return cls.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()


class ServiceRequest(models.Model):
    """Which client filed a case through Open311, with what it sent beside the case."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="open311", verbose_name=_("case")
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name=_("client")
    )
    service_code = models.CharField(_("service code"), max_length=40)
    address_string = models.CharField(_("address"), max_length=300, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"{self.case} via {self.api_key}"
