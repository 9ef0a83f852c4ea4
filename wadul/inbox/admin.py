from __future__ import annotations

from django.contrib import admin

from wadul.inbox.models import CannedAnswer, LoginFailure


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "created_at"]
    search_fields = ["title", "body", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Read-only: delete rows to lift a lock early."""

    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
