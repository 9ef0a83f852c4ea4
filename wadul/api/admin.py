from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.api.models import ApiToken, hash_key, new_key


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "official", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["official", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    autocomplete_fields = ["official"]
    actions = ["revoke"]

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if not change:
            key = new_key()
            obj.key_hash, obj.prefix = hash_key(key), key[4:12]
            messages.warning(
                request, _("Copy this key now, it is not shown again: %(key)s") % {"key": key}
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
