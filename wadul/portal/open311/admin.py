from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wadul.portal.open311.models import ApiKey, ServiceRequest, hash_key, new_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "contact", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "contact", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if not change:
            key = new_key()
            obj.key_hash, obj.prefix = hash_key(key), key[5:13]
            messages.warning(
                request, _("Copy this key now, it is not shown again: %(key)s") % {"key": key}
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Revoke selected keys"))
    def revoke(self, request, queryset) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "api_key", "service_code", "created_at"]
    list_filter = ["api_key"]
    raw_id_fields = ["case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
