from django.contrib import admin

from wadul.core.models import Attempt


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: delete rows to lift a limit early."""

    list_display = ["scope", "key", "at"]
    list_filter = ["scope"]
    search_fields = ["key"]
    readonly_fields = ["scope", "key", "at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
